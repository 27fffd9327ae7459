/**
 * The Markdown dialect of postmortem bodies: CommonMark plus GFM (tables, task lists,
 * strikethrough, footnotes, autolink literals), parsed by micromark into mdast exactly as
 * remark-parse with remark-gfm does.
 *
 * GFM's constructs cost time on every character of prose: autolink literals, for one, try each
 * word as the start of an e-mail address, which more than doubles the parse time of plain
 * text. Each construct is therefore switched on only when the characters it needs occur in the
 * text (a table needs a delimiter row, an autolink literal `www.`, `http(s)://` or `@`…); without them it
 * cannot match, so the tree is the same. A property test compares it with remark-gfm's.
 */
import type { Root } from 'mdast';
import { fromMarkdown, type Extension as MdastExtension } from 'mdast-util-from-markdown';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import type { Extension as MicromarkExtension } from 'micromark-util-types';

interface Construct {
  /** True when the text could hold the construct; false only when it certainly cannot. */
  possible: (text: string) => boolean;
  syntax: MicromarkExtension;
  tree: MdastExtension;
}

/** In remark-gfm's order, which decides which construct wins where two could start. */
const CONSTRUCTS: readonly Construct[] = [
  { possible: (t) => /www\.|https?:\/\/|@/i.test(t), syntax: gfmAutolinkLiteral(), tree: gfmAutolinkLiteralFromMarkdown() },
  { possible: (t) => t.includes('[^'), syntax: gfmFootnote(), tree: gfmFootnoteFromMarkdown() },
  { possible: (t) => t.includes('~'), syntax: gfmStrikethrough(), tree: gfmStrikethroughFromMarkdown() },
  // A table needs a delimiter row: only `-`, `:`, `|` and blanks (after any `>` or indent), with a `-`.
  { possible: (t) => /^[ \t>]*[-:| \t]*-[-:| \t]*$/m.test(t), syntax: gfmTable(), tree: gfmTableFromMarkdown() },
  { possible: (t) => t.includes('['), syntax: gfmTaskListItem(), tree: gfmTaskListItemFromMarkdown() },
];

const optionsBySet = new Map<number, { extensions: MicromarkExtension[]; mdastExtensions: MdastExtension[] }>();

export function parseMarkdown(source: string): Root {
  let set = 0;
  CONSTRUCTS.forEach((construct, bit) => {
    if (construct.possible(source)) set |= 1 << bit;
  });
  let options = optionsBySet.get(set);
  if (!options) {
    const used = CONSTRUCTS.filter((_, bit) => set & (1 << bit));
    options = { extensions: used.map((c) => c.syntax), mdastExtensions: used.map((c) => c.tree) };
    optionsBySet.set(set, options);
  }
  return fromMarkdown(source, options);
}
