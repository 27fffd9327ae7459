/**
 * The public text of a body is the text a person gets by deleting its internal parts by hand:
 * bodies are generated twice over, with parts and without, and the deletion must give the second.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../src/format/diagnostics.ts';
import { applyEdits, deletions, findInternalParts } from '../src/format/internal-parts.ts';
import { parseMarkdown } from '../src/format/markdown.ts';

const word = fc.constantFrom('queue', 'workers', 'stalled', 'region', 'rollback', 'the', 'at', '10:30', 'UTC', 'config', '**bold**', '`code`', 'Note:This');
const secret = fc.array(fc.constantFrom('db-7.corp', 'OPS-12', 'Priya', 'paged', '*x*'), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));

/** A sentence, with and without inline parts (after a word, before the closing punctuation). */
const sentence = fc.tuple(fc.array(fc.tuple(word, fc.option(secret, { freq: 4 })), { minLength: 1, maxLength: 8 }), fc.constantFrom('.', ';', '')).map(([words, end]) => ({
  withParts: words.map(([w, s], i) => `${i > 0 ? ' ' : ''}${w}${s === null ? '' : ` :internal[${s}]`}`).join('') + end,
  byHand: words.map(([w], i) => `${i > 0 ? ' ' : ''}${w}`).join('') + end,
}));

/** Blocks of a body: paragraphs, lists (items may be internal blocks), internal blocks between them. */
const block = fc.oneof(
  sentence.map((s) => ({ ...s, internal: false })),
  fc.array(fc.tuple(sentence, fc.boolean()), { minLength: 2, maxLength: 5 }).map((items) => {
    // Items hidden as a block of their own between the others; the first stays public so the list starts the same.
    const withParts = items.map(([s, hidden], i) => (hidden && i > 0 ? `:::internal\n- ${s.withParts}\n:::` : `- ${s.withParts}`)).join('\n');
    const byHand = items.filter(([, hidden], i) => !hidden || i === 0).map(([s]) => `- ${s.byHand}`).join('\n');
    return { withParts, byHand, internal: false };
  }),
  sentence.map((s) => ({ withParts: `:::internal\n${s.withParts}\n:::`, byHand: '', internal: true })),
);

describe('deleting internal parts', () => {
  it('gives the text deleted by hand', () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 6 }), (blocks) => {
        // A body opens with public text, as every section's does.
        const all = [{ withParts: 'Intro.', byHand: 'Intro.', internal: false }, ...blocks];
        const body = `${all.map((b) => b.withParts).join('\n\n')}\n`;
        const expected = `${all.filter((b) => !b.internal).map((b) => b.byHand).join('\n\n')}\n`;
        const diagnostics = new Diagnostics('x.md');
        const parts = findInternalParts(parseMarkdown(body), body, diagnostics);
        expect(diagnostics.list).toEqual([]);
        // Blank lines at the very end of a body change nothing a reader sees.
        expect(applyEdits(body, deletions(body, parts)).text.replace(/\n+$/, '\n')).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('maps every offset of the public text back to the same character of the original', () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 6 }), (blocks) => {
        const body = `Intro.\n\n${blocks.map((b) => b.withParts).join('\n\n')}\n`;
        const parts = findInternalParts(parseMarkdown(body), body, new Diagnostics('x.md'));
        const { text, toOriginal } = applyEdits(body, deletions(body, parts));
        for (let i = 0; i < text.length; i++) expect(body[toOriginal(i)]).toBe(text[i]);
      }),
      { numRuns: 200 },
    );
  });
});
