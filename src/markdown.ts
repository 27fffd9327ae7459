/** The Markdown dialect of postmortem bodies: CommonMark plus GFM (task lists, tables). */
import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const processor = unified().use(remarkParse).use(remarkGfm).freeze();

export function parseMarkdown(source: string): Root {
  return processor.parse(source);
}
