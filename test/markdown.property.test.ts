/**
 * The body parser switches GFM constructs on only when their characters occur; on any input
 * its tree (positions included) must equal remark-parse with remark-gfm.
 */
import fc from 'fast-check';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../src/markdown.ts';

const remark = unified().use(remarkParse).use(remarkGfm).freeze();

// Fragments around every construct's trigger, so the generator builds tables, task lists,
// footnotes, strikethrough and autolink literals, and near misses of each.
const piece = fc.constantFrom(
  '|', '| a | b |', '|---|---|', '--- | ---', ':-:', '-:', ':-', '\n> ', '\n  ', '> -', '-', '- ', '- [ ] ', '- [x] ', '* [X]', '1. [ ]', '[', ']', '[^1]', '[^1]: note', '[^',
  '~', '~~', '~~gone~~', '~x~', 'www.', 'www.example.com', 'WWW.EXAMPLE.COM/a?b', 'http://', 'https://x.org/(a)', 'HTTP://X.ORG', 'mailto:',
  'a@b.c', 'ops@example.com', '@', 'xmpp:a@b.co', '<https://x.org>', '[l](http://x)', '`|`', '\\|', '\\~', '\n', '\n\n', '    ', '\t', '> ', '#',
  '## H', 'word', ' ', '.', ',', '(', ')', '_', '*', '&amp;', '🙂', 'é',
);

describe('parseMarkdown', () => {
  it('gives the same tree as remark-gfm (built from GFM fragments)', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        expect(parseMarkdown(text)).toEqual(remark.parse(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same tree as remark-gfm (arbitrary text)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), (text) => {
      expect(parseMarkdown(text)).toEqual(remark.parse(text));
    }), { numRuns: 1000 });
  });
});
