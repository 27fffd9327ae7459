/** Generated files stay in step with their source: run `npm run schemas` / `npm run docs`. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { JSON_SCHEMA_DIR, jsonSchemas } from '../src/tools/json-schemas.ts';
import { RULES_DOC, rulesDoc } from '../src/tools/rules-doc.ts';

it('schemas/json matches the zod schemas', async () => {
  for (const [name, text] of Object.entries(jsonSchemas())) {
    expect(await readFile(path.join(JSON_SCHEMA_DIR, name), 'utf8'), `${name} is stale: run npm run schemas`).toBe(text);
  }
});

it('docs/rules.md matches the rules and their fixtures', async () => {
  expect(await readFile(RULES_DOC, 'utf8'), 'docs/rules.md is stale: run npm run docs').toBe(await rulesDoc());
});

it('the JSON Schema of causes.yml accepts the shipped taxonomy shape and documents every field', async () => {
  const schema = JSON.parse(await readFile(path.join(JSON_SCHEMA_DIR, 'causes.schema.json'), 'utf8'));
  const fields = schema.additionalProperties.properties;
  expect(Object.keys(fields)).toEqual(['title', 'category', 'description']);
  for (const field of Object.values(fields) as { description?: string }[]) expect(field.description).toBeTruthy();
});
