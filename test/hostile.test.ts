/**
 * Content is data: hostile front matter never runs, never hangs, never crashes and never
 * changes an object prototype. Each case ends as located errors, quickly.
 */
import { describe, expect, it } from 'vitest';
import { parsePostmortem } from '../src/format/postmortem.ts';
import { catalog, validPostmortem } from './helpers/catalog.ts';

const body = validPostmortem.slice(validPostmortem.indexOf('\n---\n', 4) + 5);
const withFrontMatter = (yaml: string) => `---\n${yaml}\n---\n${body}`;

function check(text: string) {
  const started = performance.now();
  const result = parsePostmortem(text, 'content/postmortems/hostile.md', catalog);
  const elapsed = performance.now() - started;
  expect(elapsed).toBeLessThan(500);
  const lines = text.split('\n').length;
  for (const d of result.diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines);
  }
  return result.diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`);
}

describe('hostile front matter', () => {
  it('refuses a JavaScript front matter block without running it', () => {
    const marker = Symbol.for('hindsight.pwned');
    const text = `---js\n{ title: (globalThis[Symbol.for('hindsight.pwned')] = true, 'x') }\n---\n${body}`;
    expect(check(text)).toContain('1:4 frontmatter-language');
    expect((globalThis as Record<symbol, unknown>)[marker]).toBeUndefined();
  });

  it.each(['javascript', 'coffee', 'json', 'toml', 'yaml'])('refuses a `---%s` block', (language) => {
    expect(check(`---${language}\ntitle: x\n---\n${body}`)).toEqual(expect.arrayContaining(['1:4 frontmatter-language']));
  });

  it('refuses YAML tags, including the js-yaml function tag', () => {
    expect(check(withFrontMatter('title: !!js/function "function () { return 1 }"\ndate: !custom 2024-03-05'))).toEqual(
      expect.arrayContaining(['2:8 yaml-tag', '3:7 yaml-tag']),
    );
  });

  it('stops an alias bomb at once', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');
    const found = check(withFrontMatter(bomb));
    expect(found).toContain('2:4 yaml-alias');
    expect(found.filter((d) => d.endsWith('yaml-alias'))).toHaveLength(3);
  });

  it('stops deep nesting before the parser recurses', () => {
    expect(check(withFrontMatter(`title: ${'['.repeat(50_000)}${']'.repeat(50_000)}`))).toEqual(['2:1 yaml-limits']);
    const block = Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    expect(check(withFrontMatter(block))[0]).toMatch(/ yaml-limits$/);
  });

  it('refuses a front matter block over the size limit', () => {
    expect(check(withFrontMatter(`title: "${'x'.repeat(70_000)}"`))).toEqual(['2:1 yaml-limits']);
  });

  it('reports duplicate keys instead of keeping the last one', () => {
    expect(check(withFrontMatter('title: One\ntitle: Two'))).toContain('3:1 yaml-duplicate-key');
  });

  it('never changes Object.prototype through __proto__ or constructor keys', () => {
    const result = check(withFrontMatter('__proto__:\n  polluted: true\nconstructor:\n  prototype:\n    polluted: true'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(result).toEqual(expect.arrayContaining(['2:1 field-unknown', '4:1 field-unknown']));
  });

  it.each([
    ['an empty file', '', ['1:1 frontmatter-missing']],
    ['an unclosed block', '---\ntitle: x\n', ['1:1 frontmatter-unclosed']],
    ['front matter that is a list', '---\n- a\n- b\n---\n', ['2:1 frontmatter-type']],
    ['NUL bytes', '---\ntitle: \u0000\u0001\u0002\n---\n', ['2:8 file-encoding']],
  ])('ends %s as a located error', (_, text, expected) => {
    expect(check(text)).toEqual(expect.arrayContaining(expected));
  });

  it('handles binary garbage without throwing', () => {
    let text = '';
    for (let i = 0; i < 4096; i++) text += String.fromCharCode((i * 7919) % 0xd7ff || 1);
    check(text);
    check(`---\n${text}\n---\n${text}`);
  });
});
