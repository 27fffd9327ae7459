/**
 * Search in the browser: loads the index once, on demand, and draws results with DOM calls
 * (text nodes and <mark>), so nothing from a postmortem is ever parsed as HTML.
 */
import lunr from 'lunr';
import type { SearchData, SearchDocument } from '../search-index.ts';
import { queryTerms, search, snippet } from '../search-query.ts';
import { matches, type Filters } from './filters.ts';
import { severityTone } from './severity.ts';

export interface Loaded {
  index: lunr.Index;
  documents: Map<string, SearchDocument>;
}

let loading: Promise<Loaded> | undefined;

export function loadSearch(): Promise<Loaded> {
  loading ??= fetch('/search/index.json')
    .then((response) => {
      if (!response.ok) throw new Error(`search index: HTTP ${response.status}`);
      return response.json() as Promise<SearchData>;
    })
    .then((data) => ({ index: lunr.Index.load(data.index), documents: new Map(data.documents.map((d) => [d.id, d])) }));
  loading.catch(() => (loading = undefined));
  return loading;
}

export interface Result {
  document: SearchDocument;
  terms: string[];
}

/** Incidents matching the query and the filters; with filters but no words, every match, newest first. */
export function find(loaded: Loaded, query: string, filters: Filters = {}): Result[] {
  const results: Result[] = [];
  const hits = queryTerms(query).length ? search(loaded.index, query) : Object.keys(filters).length ? [...loaded.documents.keys()].map((ref) => ({ ref, terms: [] })) : [];
  for (const hit of hits) {
    const document = loaded.documents.get(hit.ref);
    if (!document) continue;
    const facets = { ...document, year: document.date.slice(0, 4) };
    if (matches(facets, filters)) results.push({ document, terms: hit.terms });
  }
  return results;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** One result: title link, date, severity, and a snippet with the matched words marked. */
export function renderResult(result: Result, severities: readonly string[], headingLevel: 'h2' | 'h3' = 'h2'): HTMLLIElement {
  const { document: d } = result;
  const heading = element(headingLevel, { className: 'title' }, element('a', { href: `/incidents/${encodeURIComponent(d.id)}/` }, d.title));
  const time = element('time', {}, d.when);
  time.dateTime = d.date;
  const meta = element('p', { className: 'meta' }, time, element('span', { className: `badge ${severityTone(severities, d.severity)}` }, d.severity), element('span', {}, d.trigger));
  const pieces = snippet(`${d.summary}\n\n${d.text}`, result.terms);
  const text = element('p', { className: 'snippet' }, ...pieces.map((piece) => (piece.marked ? element('mark', {}, piece.text) : piece.text)));
  return element('li', {}, heading, meta, text);
}
