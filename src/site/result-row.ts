/**
 * One search result as the site draws it, with DOM calls (text nodes and <mark>), so nothing
 * from a postmortem is ever parsed as HTML.
 */
import type { SearchDocument } from '../search/index-files.ts';
import { snippet } from '../search/query.ts';
import { withBase } from './base.ts';
import { severityTone } from './severity.ts';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** What a row needs of the site: its severity levels (for the badge's colour) and its base (for the link). */
export interface RowContext {
  severities: readonly string[];
  base: string;
}

/** One result: title link, date, severity, and a snippet with the matched words marked. */
export function renderResult(d: SearchDocument, terms: readonly string[], { severities, base }: RowContext, headingLevel: 'h2' | 'h3' = 'h2'): HTMLLIElement {
  const heading = element(headingLevel, { className: 'title' }, element('a', { href: withBase(base, `/incidents/${encodeURIComponent(d.id)}/`) }, d.title));
  const time = element('time', {}, d.when);
  time.dateTime = d.date;
  const meta = element('p', { className: 'meta' }, time, element('span', { className: `badge ${severityTone(severities, d.severity)}` }, d.severity), element('span', {}, d.trigger));
  const pieces = snippet(`${d.summary}\n\n${d.text}`, terms);
  const text = element('p', { className: 'snippet' }, ...pieces.map((piece) => (piece.marked ? element('mark', {}, piece.text) : piece.text)));
  return element('li', {}, heading, meta, text);
}
