/**
 * Postmortem Markdown to HTML for the site. Raw HTML is refused by validation (rule html-raw);
 * here it is dropped as well, and hast-util-sanitize removes anything unsafe that Markdown
 * itself can produce (`javascript:` links, for instance). Content is data: nothing in it runs.
 *
 * The same steps as remark-rehype, rehype-sanitize and rehype-stringify, called directly so a
 * tree parsed once for validation is rendered without parsing it again.
 */
import type { Root, RootContent } from 'mdast';
import { toHtml } from 'hast-util-to-html';
import { sanitize } from 'hast-util-sanitize';
import { toHast } from 'mdast-util-to-hast';
import { parseMarkdown } from './markdown.ts';

/** Block nodes (a section's content) as HTML. */
export function renderNodes(nodes: readonly RootContent[]): string {
  const root: Root = { type: 'root', children: [...nodes] };
  return toHtml(sanitize(toHast(root)));
}

export function renderMarkdown(markdown: string): string {
  return renderNodes(parseMarkdown(markdown).children);
}

/** A short Markdown text (a timeline entry, a remediation item) as inline HTML, without its paragraph. */
export function renderInline(markdown: string): string {
  return withoutParagraph(renderMarkdown(markdown));
}

function withoutParagraph(html: string): string {
  return html.trim().replace(/^<p>((?:(?!<\/?p>)[\s\S])*)<\/p>$/, '$1');
}

/**
 * Many short texts at once, as `renderInline` gives each: parsing has a fixed cost per call, so
 * the texts are parsed as one document, one paragraph each. That is only the same as apart
 * when no text can reach into another: none defines a link reference (`]:`), none holds a blank
 * line, and each comes out as exactly the blocks of its own span. Otherwise each is rendered alone.
 */
export function renderInlines(texts: readonly string[]): string[] {
  if (texts.length < 2 || texts.some((text) => text.trim() === '' || /\n[ \t]*\n|\]:/.test(text))) return texts.map(renderInline);
  const joined = texts.join('\n\n');
  const blocks = parseMarkdown(joined).children;
  if (blocks.length !== texts.length) return texts.map(renderInline);
  let start = 0;
  const html: string[] = [];
  for (const [i, text] of texts.entries()) {
    const end = start + text.length;
    const block = blocks[i]!;
    if (block.position?.start.offset === undefined || block.position.start.offset < start || block.position.end.offset! > end) return texts.map(renderInline);
    html.push(withoutParagraph(renderNodes([block])));
    start = end + 2;
  }
  return html;
}
