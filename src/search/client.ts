/**
 * Search in the browser, over the sharded index (see index-files.ts): the manifest once,
 * then only the shards of the query's terms, each fetched once; lunr ranks with the small index
 * they assemble. The files of the result rows are fetched for the results shown, facets only when
 * a filter is set.
 * Where the index is (the site's /search/ under its base) and how a row is drawn are the site's
 * (../site/base.ts, ../site/result-row.ts).
 */
import type { Facets as FacetTable, Manifest, SearchDocument } from './index-files.ts';
import { assemble, queryTerms, search, shardName, shardsFor, type Shard } from './query.ts';
import { matches, type Filters } from './filters.ts';

/** Searching the index in one folder of the site; each of its files is fetched once. */
export interface SearchIndex {
  /** Starts fetching what every search needs, before the first word is typed. */
  prepare(): Promise<unknown>;
  /** Incidents matching the query and the filters, best first; with filters but no words, every match, newest first. */
  find(query: string, filters?: Filters): Promise<Result[]>;
  /**
   * Draws the rows of some results in their order as their files arrive: each as soon as it and
   * the ones above it are in, so the first result shows without waiting for the last. `place` gets
   * each row's element (`first` for the first one); drawing stops, returning false, as soon as
   * `current()` is false (a newer search started).
   */
  drawRows(results: readonly Result[], render: (row: SearchDocument, result: Result) => HTMLLIElement, place: (item: HTMLLIElement, first: boolean) => void, current: () => boolean): Promise<boolean>;
}

/** The index whose files are at `folder`, the address of the site's /search/ (`/search/`, `/postmortems/search/`). */
export function searchIndex(folder: string): SearchIndex {
  const fetched = new Map<string, Promise<unknown>>();
  const load = <T>(name: string) => loadOnce<T>(fetched, `${folder}${name}`);
  return {
    prepare: () => load<Manifest>('manifest.json'),
    find: (query, filters = {}) => find(load, query, filters),
    drawRows: (results, render, place, current) => drawRows(load, results, render, place, current),
  };
}

type Load = <T>(name: string) => Promise<T>;

/** A file at `address`, fetched once; a failed fetch is tried again next time. */
function loadOnce<T>(fetched: Map<string, Promise<unknown>>, address: string): Promise<T> {
  let pending = fetched.get(address);
  if (!pending) {
    pending = fetch(address).then((response) => {
      if (!response.ok) throw new Error(`search index: HTTP ${response.status}`);
      return response.json();
    });
    pending.catch(() => fetched.delete(address));
    fetched.set(address, pending);
  }
  return pending as Promise<T>;
}

export interface Result {
  /** Document number: row n % rowsPerFile of /search/docs/<⌊n / rowsPerFile⌋>.json (see the manifest). */
  n: number;
  /** Index terms that matched, for marking them in the snippet. */
  terms: string[];
}

async function find(load: Load, query: string, filters: Filters): Promise<Result[]> {
  const filtered = Object.keys(filters).length > 0;
  const manifest = await load<Manifest>('manifest.json');
  const facetTable = filtered ? load<FacetTable>('facets.json') : undefined;
  let results: Result[];
  if (queryTerms(query).length) {
    const shards = await Promise.all(shardsFor(query, manifest.shards).map((n) => load<Shard>(`terms/${shardName(manifest.shards[n]!)}.json`)));
    results = search(assemble(shards, query, manifest), query).map((hit) => ({ n: Number(hit.ref), terms: hit.terms }));
  } else {
    results = filtered ? Array.from({ length: manifest.documents }, (_, n) => ({ n, terms: [] })) : [];
  }
  if (!facetTable) return results;
  const { values, documents } = await facetTable;
  return results.filter(({ n }) => {
    const [severity, trigger, year, causes, services] = documents[n]!;
    const facets = { severity: values.severity[severity]!, trigger: values.trigger[trigger]!, year: values.year[year]!, causes: causes.map((c) => values.cause[c]!), services: services.map((s) => values.service[s]!) };
    return matches(facets, filters);
  });
}

async function drawRows(
  load: Load,
  results: readonly Result[],
  render: (row: SearchDocument, result: Result) => HTMLLIElement,
  place: (item: HTMLLIElement, first: boolean) => void,
  current: () => boolean,
): Promise<boolean> {
  const { rowsPerFile } = await load<Manifest>('manifest.json');
  // Results sharing a file share its fetch.
  const rows = results.map(({ n }) => load<SearchDocument[]>(`docs/${Math.floor(n / rowsPerFile)}.json`).then((file) => file[n % rowsPerFile]!));
  for (const [i, row] of rows.entries()) {
    const document = await row;
    if (!current()) return false;
    place(render(document, results[i]!), i === 0);
  }
  return current();
}
