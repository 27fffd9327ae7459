/**
 * The front matter's two YAML readers agree: js-yaml, which reads what has no problem, and
 * `yaml`, which reads the rest and knows where every node is (src/format/yaml.ts). On any
 * input, `parseYaml` gives the same value, the same diagnostics and the same places as `yaml`
 * alone; a value js-yaml read differently, or a problem it let through, fails here.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../src/format/diagnostics.ts';
import { parseYaml, quickRead } from '../src/format/yaml.ts';
import { validPostmortem } from './helpers/catalog.ts';

/** Every key path of a value, for asking both readers where each is. */
function paths(value: unknown, prefix: PropertyKey[] = []): PropertyKey[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...paths(item, [...prefix, index])]);
  if (value !== null && typeof value === 'object') {
    return Object.keys(value).flatMap((key) => [[...prefix, key], ...paths((value as Record<string, unknown>)[key], [...prefix, key])]);
  }
  return [];
}

function read(source: string, quick: boolean) {
  const diagnostics = new Diagnostics('p.md');
  const result = parseYaml(source, 2, diagnostics, { quick });
  return { result, diagnostics: diagnostics.list };
}

function assertSame(source: string) {
  const quick = read(source, true);
  const full = read(source, false);
  expect(quick.diagnostics, source).toEqual(full.diagnostics);
  expect(quick.result.value, source).toEqual(full.result.value);
  // An own `__proto__` key stays a key, never the object's prototype, in both.
  if (full.result.value !== null && typeof full.result.value === 'object') {
    expect(Object.getPrototypeOf(quick.result.value), source).toBe(Object.getPrototypeOf(full.result.value));
  }
  for (const path of paths(full.result.value)) {
    expect(quick.result.locate(path, 'key'), `${source}\n${path.join('.')}`).toEqual(full.result.locate(path, 'key'));
    expect(quick.result.locate(path, 'value'), `${source}\n${path.join('.')}`).toEqual(full.result.locate(path, 'value'));
  }
}

// Scalars where YAML 1.1, YAML 1.2 and the two libraries part ways, and the text around them.
const scalar = fc.constantFrom(
  '1', '-1', '+1', '0', '-0', '012', '0o17', '0o8', '0x1F', '0X1F', '+0x1', '0b101', '1_000', '1.', '.5', '-.5', '1.5', '1e3', '1E-3', '1.5e+3', '1e', 'e3',
  '.inf', '-.inf', '+.Inf', '.INF', '.nan', '.NaN', '-.nan', 'inf', 'nan', 'NaN',
  'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'yes', 'no', 'on', 'off', 'y', 'n', 'Yes',
  'null', 'Null', 'NULL', '~', 'nULL', '', '2024-03-05', '2024-03-05T10:00:00Z', '12:30', '1:2:3', '190:20:30',
  'x', 'two words', 'a: b', 'a:b', 'a #b', 'a#b', '# comment', '@x', '`x', '%x', 'x%', '- x', '-x', '? x', '?x', '|', '>', '|-', '>+',
  '"q"', '"a\\"b"', '"\\u00e9\\n"', '"\\x41"', '"\\q"', '"a', "'s'", "'it''s'", "'a", '[a, b]', '[a, [b]]', '[]', '{a: 1}', '{}', '{a: 1, a: 2}', '[a, ]', '{a}',
  'é', '🙂', '\\', '"\t"', 'a\tb', '  x', 'x  ', '--- x', '...', '=', '<<', '__proto__', 'constructor',
  '\u0085', 'a\u2028b', '\u00a0x', '\ufeff', 'a\u0000', '"\u0007"', '\r', '"a\\\nb"', '"\\N\\_"',
);
const key = fc.constantFrom('title', 'date', 'a', 'b', 'x y', '"q"', "'s'", '__proto__', 'constructor', '1', 'true', 'null', '? k', '-', '', '[a]', '{a: 1}', '@k', 'k#');
const indent = fc.constantFrom('', '', '', '  ', '    ', '- ', '  - ', '\t', ' ');
const line = fc.oneof(
  fc.tuple(indent, key, fc.constantFrom(': ', ':', ' : ', ':  '), scalar, fc.constantFrom('', '', ' # note', '#x', ' ')).map((parts) => parts.join('')),
  fc.tuple(indent, scalar).map((parts) => parts.join('')),
  fc.tuple(indent, key, fc.constantFrom(':', ': |', ': >-', ': |+', ': [', ': {')).map((parts) => parts.join('')),
  fc.tuple(indent, fc.constantFrom('more words', 'x', '"', "'", 'b"', "b'", '- ', '---', '...', '%YAML 1.2', '%TAG ! x', '#', '')).map((parts) => parts.join('')),
  fc.constantFrom('k'.repeat(1025) + ': x', '"' + 'k'.repeat(1030) + '": x'),
  fc.string({ maxLength: 12, unit: 'binary' }),
);

// Front matter as people write it: the lines js-yaml may read, at two indentations.
const simpleLine = fc.oneof(
  fc.tuple(fc.constantFrom('', '', '  ', '    '), fc.constantFrom('title', 'date', 'causes', 'a', 'b_c', 'd-e', '__proto__', 'true', 'null'), fc.constantFrom(':', ': '), scalar).map(([indent, name, colon, value]) => `${indent}${name}${colon === ':' ? ':' : `: ${value}`}`),
  fc.tuple(fc.constantFrom('', '  ', '    '), scalar).map(([indent, value]) => `${indent}- ${value}`),
  fc.constantFrom('', '# note', '  # note'),
  fc.tuple(fc.constantFrom('', '  ', '    '), fc.constantFrom('summary', 'b'), fc.constantFrom('|', '>', '|-', '>-', '|+', '>+', '|2', '>1-')).map(([indent, name, style]) => `${indent}${name}: ${style}`),
  fc.tuple(fc.constantFrom(' ', '  ', '   ', '    ', '      '), fc.constantFrom('more words', 'x: y', '- z', '# c', '"q', "'s", '  lead', 'trail  ', '[a', '{b', '---', '...', '', 'a #b', '%x', '@x')).map((parts) => parts.join('')),
);

describe('the quick YAML reader', () => {
  it('gives what `yaml` alone gives on front matter as people write it, and reads most of it', () => {
    let quick = 0;
    const runs = 3000;
    fc.assert(
      fc.property(fc.array(simpleLine, { maxLength: 10 }), (lines) => {
        const source = lines.join('\n');
        if (quickRead(source)) quick++;
        assertSame(source);
      }),
      { numRuns: runs },
    );
    // The property holds for the inputs js-yaml read, not only for those it passed on.
    expect(quick / runs).toBeGreaterThan(0.1);
  });

  it('gives what `yaml` alone gives on YAML-shaped lines', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 12 }), (lines) => assertSame(lines.join('\n'))), { numRuns: 3000 });
  });

  it('gives what `yaml` alone gives on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 120 }), (text) => assertSame(text)), { numRuns: 1000 });
  });

  it('gives what `yaml` alone gives on the front matter of every postmortem shipped and every fixture', () => {
    const blocks = [validPostmortem, ...shipped()].map((text) => /^---\n([\s\S]*?\n)---\n/.exec(text.replace(/\r\n?/g, '\n'))?.[1]).filter((block) => block !== undefined);
    expect(blocks.length).toBeGreaterThan(20);
    for (const block of blocks) assertSame(block);
  });
});

/** The Markdown files of the shipped knowledge base and of the test fixtures. */
function shipped(): string[] {
  return ['../content/', './fixtures/'].flatMap((folder) => {
    const dir = fileURLToPath(new URL(folder, import.meta.url));
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.md'))
      .map((file) => readFileSync(join(dir, file), 'utf8'));
  });
}
