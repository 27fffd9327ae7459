/**
 * Properties of the parser on arbitrary input: it never throws, and every diagnostic points
 * at a real line and column of its file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePostmortem } from '../src/format/postmortem.ts';
import { catalog, validPostmortem } from './helpers/catalog.ts';

function assertLocated(text: string) {
  const { diagnostics } = parsePostmortem(text, 'p.md', catalog);
  const lines = text.split('\n');
  for (const d of diagnostics) {
    expect(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines.length, `${d.rule} at line ${d.line} of ${lines.length}`).toBe(true);
    expect(d.column, `${d.rule} at ${d.line}:${d.column}`).toBeGreaterThanOrEqual(1);
    expect(d.column, `${d.rule} at ${d.line}:${d.column}`).toBeLessThanOrEqual((lines[d.line - 1]?.length ?? 0) + 1);
    expect(d.message.length).toBeGreaterThan(0);
  }
}

// Pieces that look like postmortems, so the generator reaches deep into the grammar.
const piece = fc.constantFrom(
  '---', '---js', 'title: x', 'date: 2024-03-05', 'status: draft', 'status: published', 'severity: SEV1', 'causes: [global-rollout]',
  'causes: [', 'related: [a]', '  - x', 'a: &x 1', 'b: *x', '!!str', '## Timeline', '## Remediation', '## Root cause', '## Blast radius',
  '- 2024-03-05 10:00 UTC — [start] x', '- 10:05 — [resolved] y', '- 25:61 — z', '- [ ] do (owner: a, due: 2024-13-01)', '- [x] done',
  '<b>x</b>', 'TODO', '', '  ', '\t', '```', '> quote', '| a | b |', '\r', '\u00a0', '🙂',
);

describe('parsePostmortem on arbitrary input', () => {
  it('never throws and locates every diagnostic (random text)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => assertLocated(text)), { numRuns: 300 });
  });

  it('never throws and locates every diagnostic (postmortem-shaped lines)', () => {
    fc.assert(fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 20 })), { maxLength: 40 }), (parts) => assertLocated(parts.join('\n'))), { numRuns: 500 });
  });

  it('locates YAML errors after an unclosed quote on real lines (yaml\'s own line counter put them past the line end)', () => {
    const lines = validPostmortem.split('\n');
    lines[8] = `${lines[8]!.slice(0, 36)} }D!'`;
    const text = lines.join('\n');
    assertLocated(text);
    const { diagnostics } = parsePostmortem(text, 'p.md', catalog);
    expect(diagnostics.filter((d) => d.rule === 'yaml-syntax').map((d) => `${d.line}:${d.column} ${d.message}`)).toMatchInlineSnapshot(`
      [
        "9:15 YAML syntax error: Unexpected flow-map-end token in YAML stream: "}".",
        "9:16 YAML syntax error: Unexpected scalar token in YAML stream: "D!'\\n  scope".",
        "10:8 YAML syntax error: Unexpected map-value-ind token in YAML stream: ":".",
        "10:10 YAML syntax error: Unexpected scalar token in YAML stream: "global\\n  services".",
        "11:11 YAML syntax error: Unexpected map-value-ind token in YAML stream: ":".",
      ]
    `);
  });

  it('never throws on mutations of a valid postmortem', () => {
    const lines = validPostmortem.split('\n');
    fc.assert(
      fc.property(fc.nat(lines.length - 1), fc.nat(80), fc.string({ maxLength: 6 }), (line, column, insert) => {
        const copy = [...lines];
        const target = copy[line]!;
        copy[line] = target.slice(0, column) + insert + target.slice(column + insert.length);
        assertLocated(copy.join('\n'));
      }),
      { numRuns: 500 },
    );
  });
});
