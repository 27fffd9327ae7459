/**
 * The Markdown dialect of postmortem bodies: CommonMark plus GFM (tables, task lists,
 * strikethrough, footnotes, autolink literals), parsed into mdast exactly as remark-parse with
 * remark-gfm does.
 *
 * Two parsers build that tree:
 * - satteri, the native parser Astro 7 renders Markdown with, about 14 times faster than remark's
 *   micromark on postmortem bodies, for every text it is known to parse as remark does;
 * - remark's own parser (micromark and the GFM extensions) for texts holding one of the rare
 *   shapes on which satteri disagrees (`SATTERI_DIFFERS`).
 * test/markdown.property.test.ts holds every text, whichever parser takes it, to remark-gfm's
 * tree; the shapes below are the ones it found.
 */
import type { Root, RootContent, Text } from 'mdast';
import { directiveFromMarkdown } from 'mdast-util-directive';
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
import { directive } from 'micromark-extension-directive';
import type { Extension as MicromarkExtension } from 'micromark-util-types';
import { markdownToMdast } from 'satteri';

/**
 * Shapes of text that satteri parses otherwise than remark (satteri 0.10). `needs` is a string
 * any text of the shape contains, a quick test before the expression's.
 */
export const SATTERI_DIFFERS: readonly { needs?: string; shape: RegExp; why: string }[] = [
  { needs: '_', shape: /\*_|_\*/, why: 'a `*` next to a `_`: satteri does not count the `_` as punctuation when it decides what can open or close emphasis' },
  { needs: '\\', shape: /\\([*_])\1/, why: 'an escaped `*` or `_` before another: satteri counts the escaped one in the delimiter run' },
  { shape: /[\uD800-\uDFFF]/, why: 'a character outside the Basic Multilingual Plane (an emoji): satteri counts symbols among them as punctuation, micromark does not' },
  { needs: '|', shape: /www\.|:\/\/|@/i, why: 'an address in a text with a `|`: satteri can take a table\'s cell delimiter into a link, or end a paragraph before a line that looks like a table row' },
  { needs: '@', shape: /(?:^|[^\s(\w.+-])[\w.+-]+@/m, why: 'an e-mail address right after a character other than a blank or `(` (a `/`, an `é`): remark links it, satteri does not' },
  {
    needs: '[',
    shape: /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+\[[ xX]\](?:[ \t]*$|.*\n[ \t>]*(?:=+|-+)[ \t]*$)/m,
    why: 'a task item whose checkbox ends its line (satteri keeps the next line\'s indent as text) or that is underlined into a heading (satteri keeps the checkbox, remark reads `[ ]` as text)',
  },
  { needs: '>', shape: /^[ \t]*>[ \t>]*(?:`{3,}|~{3,})/m, why: 'a code fence in a block quote: satteri ends an unclosed one later' },
  { needs: '[^', shape: /\[\^[^\]\n]*\]:/, why: 'a footnote definition: remark nests one that starts another, satteri does not' },
  { shape: /\\\n/, why: 'a backslash hard break: satteri keeps it as text inside a link' },
  { needs: '&', shape: /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(?:`{3,}|~{3,}).*&/m, why: 'a character reference in a code fence\'s info: remark decodes it, satteri does not' },
  { needs: '<', shape: /<[a-zA-Z!?/]/, why: 'raw HTML: in a list item satteri keeps the line ending in the HTML' },
  { needs: ']:', shape: /^[ \t>]*[-:| \t]*-[-:| \t]*$/m, why: 'a link definition in a text with a line that could be a table\'s delimiter row: satteri can read as a definition what remark reads as the table\'s header' },
];

const SATTERI_OPTIONS = { features: { gfm: true, frontmatter: false } } as const;

export function parseMarkdown(source: string): Root {
  // CommonMark replaces U+0000 with U+FFFD (remark does; satteri does not). Same length, so no
  // position moves.
  const text = source.includes('\0') ? source.replaceAll('\0', '\uFFFD') : source;
  if (INTERNAL_DIRECTIVE.test(text)) return parseWithDirectives(text);
  return SATTERI_DIFFERS.some(({ needs, shape }) => (needs === undefined || text.includes(needs)) && shape.test(text)) ? parseWithRemark(text) : (markdownToMdast(text, SATTERI_OPTIONS) as Root);
}

interface Construct {
  /** True when the text could hold the construct; false only when it certainly cannot. */
  possible: (text: string) => boolean;
  syntax: MicromarkExtension;
  tree: MdastExtension;
}

/**
 * remark's parser. GFM's constructs cost micromark time on every character of prose, so each is
 * switched on only when the characters it needs occur in the text (a table needs a delimiter
 * row, an autolink literal `www.`, `http(s)://` or `@`…); without them it cannot match, so the
 * tree is the same. In remark-gfm's order, which decides which construct wins where two could
 * start.
 */
const CONSTRUCTS: readonly Construct[] = [
  { possible: (t) => /www\.|https?:\/\/|@/i.test(t), syntax: gfmAutolinkLiteral(), tree: gfmAutolinkLiteralFromMarkdown() },
  { possible: (t) => t.includes('[^'), syntax: gfmFootnote(), tree: gfmFootnoteFromMarkdown() },
  { possible: (t) => t.includes('~'), syntax: gfmStrikethrough(), tree: gfmStrikethroughFromMarkdown() },
  // A table needs a delimiter row: only `-`, `:`, `|` and blanks (after any `>` or indent), with a `-`.
  { possible: (t) => /^[ \t>]*[-:| \t]*-[-:| \t]*$/m.test(t), syntax: gfmTable(), tree: gfmTableFromMarkdown() },
  { possible: (t) => t.includes('['), syntax: gfmTaskListItem(), tree: gfmTaskListItemFromMarkdown() },
];

const optionsBySet = new Map<number, { extensions: MicromarkExtension[]; mdastExtensions: MdastExtension[] }>();

export function parseWithRemark(source: string): Root {
  return fromMarkdown(source, parseOptions(source));
}

function parseOptions(source: string) {
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
  return options;
}

/**
 * Internal parts (see internal-parts.ts) are written in the generic-directive syntax that
 * remark-directive reads: a `:::internal` … `:::` block, an inline `:internal[text]`. A text
 * that holds one is parsed with the directive extension; every other directive it finds is
 * turned back into the text it was written as (`10:30` would otherwise read as a directive
 * `:30`), so only internal parts change the tree.
 */
export const INTERNAL_DIRECTIVE = /:internal\[|^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*:{3,}[ \t]*internal\b/im;

function parseWithDirectives(source: string): Root {
  const { extensions, mdastExtensions } = parseOptions(source);
  const tree = fromMarkdown(source, { extensions: [...extensions, directive()], mdastExtensions: [...mdastExtensions, directiveFromMarkdown()] });
  restoreOtherDirectives(tree, source);
  return tree;
}

type Parent = { children: RootContent[] };

function restoreOtherDirectives(parent: Parent, source: string): void {
  const children: RootContent[] = [];
  for (const node of parent.children) {
    if ('children' in node) restoreOtherDirectives(node as Parent, source);
    const slice = (from: number, to: number) => source.slice(from, to);
    if (node.type === 'textDirective' || node.type === 'containerDirective' || node.type === 'leafDirective') {
      const { start, end } = node.position!;
      if (node.name === 'internal' && node.type !== 'leafDirective') {
        node.data = { hName: node.type === 'textDirective' ? 'span' : 'div', hProperties: { className: ['internal'] } };
        children.push(node);
      } else if (node.type === 'textDirective') {
        pushText(children, { type: 'text', value: slice(start.offset!, end.offset!), position: node.position });
      } else if (node.type === 'leafDirective') {
        children.push({ type: 'paragraph', children: [{ type: 'text', value: slice(start.offset!, end.offset!).trim(), position: node.position }], position: node.position });
      } else {
        // A block of another name: its fences as the paragraphs they were, its content as it is.
        const opening = slice(start.offset!, source.indexOf('\n', start.offset!) === -1 ? end.offset! : Math.min(source.indexOf('\n', start.offset!), end.offset!));
        children.push({ type: 'paragraph', children: [{ type: 'text', value: opening.trim() }], position: node.position }, ...(node.children as RootContent[]));
        const closing = /(?:^|\n)[ \t]*(:{3,})[ \t]*$/.exec(slice(start.offset!, end.offset!));
        if (closing && closing.index > 0) children.push({ type: 'paragraph', children: [{ type: 'text', value: closing[1]! }], position: node.position });
      }
    } else if (node.type === 'text') {
      pushText(children, node);
    } else {
      children.push(node);
    }
  }
  parent.children = children;
}

/** Adjacent texts are one text node, as a parser without directives makes them. */
function pushText(children: RootContent[], node: Text): void {
  const last = children[children.length - 1];
  if (last?.type === 'text') {
    last.value += node.value;
    if (last.position && node.position) last.position = { start: last.position.start, end: node.position.end };
  } else children.push({ ...node });
}
