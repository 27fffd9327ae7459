/**
 * Short texts rendered in one batch must come out exactly as each rendered alone, whatever
 * they hold: lists, fences, references, blank lines, HTML.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderInline, renderInlines } from '../src/format/render.ts';

const piece = fc.constantFrom(
  'word', ' ', 'Rolled back ', '`config`', '**bold**', '_em_', '[link](https://x.org)', '[ref]', '[ref]: /x', '[^1]', '[^1]: n', '- ', '1. ', '# ',
  '> ', '```', '~~~', '    ', '\n', '\n\n', '<b>', '<!-- c -->', '| a |', '|---|', 'www.x.org', 'a@b.co', '~~s~~', '&amp;', '\\', '*', '_', '===', '---',
  '<https://x.org>', '![i](javascript:alert(1))', '[j](javascript:x)', '🙂',
);
const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));

describe('renderInlines', () => {
  it('renders each text as renderInline does', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 6 }), (texts) => {
        expect(renderInlines(texts)).toEqual(texts.map(renderInline));
      }),
      { numRuns: 4000 },
    );
  });

  it('renders inline Markdown, without paragraphs', () => {
    expect(renderInlines(['Rolled back `cfg-12`.', 'Paged the *storage* team', '[Status](https://x.org/s) updated'])).toMatchInlineSnapshot(`
      [
        "Rolled back <code>cfg-12</code>.",
        "Paged the <em>storage</em> team",
        "<a href="https://x.org/s">Status</a> updated",
      ]
    `);
  });
});
