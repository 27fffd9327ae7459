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
import { defaultSchema, sanitize, type Schema } from 'hast-util-sanitize';
import { toHast } from 'mdast-util-to-hast';
import { parseMarkdown } from './markdown.ts';

/** The default schema, and the class that marks internal parts (see internal-parts.ts) on the internal site. */
const SCHEMA: Schema = {
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    div: [...(defaultSchema.attributes?.div ?? []), ['className', 'internal']],
    span: [...(defaultSchema.attributes?.span ?? []), ['className', 'internal']],
  },
};

/** Block nodes (a section's content) as HTML. */
export function renderNodes(nodes: readonly RootContent[]): string {
  const root: Root = { type: 'root', children: [...nodes] };
  return toHtml(sanitize(toHast(root), SCHEMA));
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

/** One line that can only be a paragraph wherever it stands: nothing at its start can open another block. */
const PLAIN = /^[^\s#>\-+*=_`~<|[\d]/;
const isPlain = (text: string) => PLAIN.test(text) && !text.includes('\n') && !text.includes(']:');

/**
 * Many short texts at once, as `renderInline` gives each: parsing has a fixed cost per call, so
 * the plain ones (one line, nothing at the start that could open a list, quote, heading, code
 * block or definition) are parsed as one document, a paragraph each, which is then the same as
 * apart. Any other text is rendered alone. A property test compares the two.
 */
export function renderInlines(texts: readonly string[]): string[] {
  const html = texts.map((text) => (isPlain(text) ? undefined : renderInline(text)));
  const plain = texts.flatMap((text, i) => (html[i] === undefined ? [i] : []));
  if (plain.length < 2) return texts.map((text, i) => html[i] ?? renderInline(text));
  const blocks = parseMarkdown(plain.map((i) => texts[i]).join('\n\n')).children;
  let start = 0;
  plain.forEach((i, k) => {
    const end = start + texts[i]!.length;
    const block = blocks.length === plain.length ? blocks[k] : undefined;
    const inside = block?.type === 'paragraph' && block.position!.start.offset! >= start && block.position!.end.offset! <= end;
    html[i] = inside ? withoutParagraph(renderNodes([block])) : renderInline(texts[i]!);
    start = end + 2;
  });
  return html as string[];
}
