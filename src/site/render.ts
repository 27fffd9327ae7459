/**
 * Postmortem Markdown to HTML for the site. Raw HTML is refused by validation (rule html-raw);
 * here it is dropped as well, and rehype-sanitize removes anything unsafe that Markdown itself
 * can produce (`javascript:` links, for instance). Content is data: nothing in it runs.
 */
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeSanitize).use(rehypeStringify).freeze();

export function renderMarkdown(markdown: string): string {
  return String(processor.processSync(markdown));
}

/** A short Markdown text (a timeline entry, a remediation item) as inline HTML, without its paragraph. */
export function renderInline(markdown: string): string {
  return renderMarkdown(markdown)
    .trim()
    .replace(/^<p>((?:(?!<\/?p>)[\s\S])*)<\/p>$/, '$1');
}
