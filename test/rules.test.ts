/**
 * One fixture per rule: `fail` reports exactly the lines of expected.txt (so every message,
 * line and column is pinned), and `pass` reports nothing at all.
 * UPDATE_FIXTURES=1 rewrites expected.txt from the current output, for review in the diff.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../src/format/rules.ts';
import { FIXTURES, formatLine, loadCase, ruleDirs } from './helpers/fixtures.ts';

const dirs = await ruleDirs();

it('has a fixture for every rule, and no fixture for an unknown rule', () => {
  expect(dirs).toEqual([...RULE_IDS].sort());
});

describe.each(dirs)('rule %s', (rule) => {
  const dir = path.join(FIXTURES, 'rules', rule);

  it('reports the expected diagnostics on the failing case', async () => {
    const lines = (await loadCase(path.join(dir, 'fail'))).map(formatLine);
    const expectedFile = path.join(dir, 'expected.txt');
    if (process.env.UPDATE_FIXTURES) await writeFile(expectedFile, `${lines.join('\n')}\n`);
    const expected = (await readFile(expectedFile, 'utf8')).trimEnd().split('\n');
    expect(lines).toEqual(expected);
    expect(lines.some((line) => line.split(' ')[2] === rule)).toBe(true);
  });

  it('reports nothing on the passing case', async () => {
    expect((await loadCase(path.join(dir, 'pass'))).map(formatLine)).toEqual([]);
  });
});
