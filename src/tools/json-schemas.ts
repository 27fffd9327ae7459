/**
 * JSON Schemas generated from the zod schemas, for editors: `npm run schemas` writes them to
 * schemas/json/, and a test fails when they drift from the zod source.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { causesSchema } from '../../schemas/cause.ts';
import { defaultFrontMatterSchema } from '../../schemas/frontmatter.ts';
import { servicesSchema } from '../../schemas/service.ts';
import { settingsSchema } from '../../schemas/settings.ts';

export const JSON_SCHEMA_DIR = path.resolve(import.meta.dirname, '../../schemas/json');

export function jsonSchemas(): Record<string, string> {
  const render = (schema: z.ZodType, id: string) =>
    `${JSON.stringify({ ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), $id: id }, null, 2)}\n`;
  return {
    'frontmatter.schema.json': render(defaultFrontMatterSchema, 'hindsight:frontmatter'),
    'causes.schema.json': render(causesSchema, 'hindsight:causes'),
    'services.schema.json': render(servicesSchema, 'hindsight:services'),
    'settings.schema.json': render(settingsSchema, 'hindsight:settings'),
  };
}

if (import.meta.main) {
  for (const [name, text] of Object.entries(jsonSchemas())) await writeFile(path.join(JSON_SCHEMA_DIR, name), text);
  console.log(`Wrote ${Object.keys(jsonSchemas()).length} JSON Schemas to schemas/json/.`);
}
