/**
 * The search index of the published site, sharded so a reader fetches only what a query needs.
 *
 * The index is lunr's: the same tokens (lunr's trimmer, stop-word filter and stemmer), the
 * same BM25 field vectors with the same field boosts and rounding. Instead of one serialized
 * index, each term is written with its vector components (one per document field holding it)
 * into a shard named by a prefix of the terms it holds. In the browser, `assemble` turns the
 * shards of a query's terms into a small lunr index; lunr scores a document by the query terms'
 * components of its field vectors only, so it ranks exactly as the whole index would (a test
 * compares the two on a corpus). Result rows and filter facets are stored apart, fetched only
 * for the results shown.
 *
 * Files (under /search/):
 *   manifest.json   shard prefixes, document count
 *   terms/<n>.json  terms of shard n, each with its index and postings per field
 *   docs/<n>.json   what result n shows (title, date, severity, summary, text for snippets)
 *   facets.json     severity, trigger, year, causes and services of every document, for filters
 */
import path from 'node:path';
import lunr from 'lunr';
import type { Catalog } from './catalog.ts';
import { day } from './format.ts';
import type { Postmortem } from './postmortem.ts';
import { eachWord, FIELDS, indexable, type SearchField, type Shard } from './search-query.ts';
import type { Section } from './sections.ts';

/** What the index reads of a postmortem: its terms when they were counted as it was parsed, else its text. */
export type Searchable = Pick<Postmortem, 'id' | 'data' | 'terms'> & { sections: readonly Pick<Section, 'title' | 'text'>[] };

/**
 * Terms as counted for a document or one of its fields: the distinct terms (space-separated, in
 * order of first use, as lunr.Builder meets them) and how often each occurs. Compact, as it is
 * cached for every postmortem; lunr terms never hold a space.
 */
export type TermCounts = [terms: string, counts: number[]];
export type DocumentTerms = Record<SearchField, TermCounts>;

/** The terms `each` adds, counted: `each` calls `add` once per occurrence. */
export function countTerms(each: (add: (term: string) => void) => void): TermCounts {
  const counts = new Map<string, number>();
  each((term) => counts.set(term, (counts.get(term) ?? 0) + 1));
  return [[...counts.keys()].join(' '), [...counts.values()]];
}

/** Terms numbered in order of first use, each with how many times it was counted. */
export interface TermNumbers {
  /** Term → its number. */
  readonly ids: ReadonlyMap<string, number>;
  /** By number: how many times the term was counted (per document, its document frequency). */
  readonly counts: readonly number[];
  /** The term's number (a new one on first use); counts the term once more. */
  count(term: string): number;
}

export function termNumbers(): TermNumbers {
  const ids = new Map<string, number>();
  const counts: number[] = [];
  return {
    ids,
    counts,
    count(term) {
      let id = ids.get(term);
      if (id === undefined) {
        id = counts.length;
        ids.set(term, id);
        counts.push(0);
      }
      counts[id]!++;
      return id;
    },
  };
}

/** Calls `visit` with each term and its count, in order of first use. */
export function eachTerm([terms, counts]: TermCounts, visit: (term: string, count: number) => void): void {
  if (counts.length) terms.split(' ').forEach((term, k) => visit(term, counts[k]!));
}
/** What the index reads of the catalogue: cause titles and service names. */
export type SearchCatalog = Pick<Catalog, 'causes' | 'services'>;

/** What a search result shows, and the text its snippet is cut from. */
export interface SearchDocument {
  id: string;
  title: string;
  date: string;
  /** The date as the site writes it (`19 Nov 2014`). */
  when: string;
  severity: string;
  trigger: string;
  summary: string;
  /** Every section's plain text, for snippets. */
  text: string;
}

export interface Manifest {
  version: 1;
  documents: number;
  /** Shard prefixes, sorted; shard n is `terms/<n>.json`. */
  shards: string[];
}

/**
 * One term of a shard: `[term, index, postings]`, postings per field in FIELDS order, each a
 * flat list of (document number minus the previous one, component × 1000) pairs; empty when
 * the field never holds the term.
 */
export type ShardTerm = Shard['terms'][number];

/** Per document: severity, trigger and year as indexes into `values`, causes and services as lists of indexes. */
export interface Facets {
  values: { severity: string[]; trigger: string[]; year: string[]; cause: string[]; service: string[] };
  documents: [severity: number, trigger: number, year: number, causes: number[], services: number[]][];
}

export interface SearchFiles {
  manifest: Manifest;
  shards: Shard[];
  documents: SearchDocument[];
  facets: Facets;
}

/** A shard is split by a longer prefix while its JSON is larger than this (a lone term may be). */
const SHARD_BYTES = 16 * 1024;
// lunr's BM25 parameters (lunr.Builder defaults).
const K1 = 1.2;
const B = 0.75;

/** The text of each field of a postmortem, before `indexable`. */
function fieldSources(p: Searchable, catalog: SearchCatalog): Record<SearchField, string> {
  const causes = p.data.causes.map((id) => `${id} ${catalog.causes?.get(id)?.title ?? ''}`);
  const services = p.data.blast_radius.services.map((id) => `${id} ${catalog.services?.get(id)?.name ?? ''}`);
  return {
    title: p.data.title,
    summary: p.data.summary,
    causes: causes.join(' '),
    services: services.join(' '),
    tags: (p.data.tags ?? []).join(' '),
    body: p.sections.map((section) => section.text).join(' '),
  };
}

/** The text of each field of a postmortem, as the index reads it. */
export function fieldTexts(p: Searchable, catalog: SearchCatalog): Record<SearchField, string> {
  const sources = fieldSources(p, catalog);
  return Object.fromEntries(Object.entries(sources).map(([field, text]) => [field, indexable(text)])) as Record<SearchField, string>;
}

/**
 * The terms of each field of a postmortem. Counted where the postmortem is parsed for the site
 * (on a worker thread) and cached with its data, so a build only adds them up.
 */
export function documentTerms(p: Searchable, catalog: SearchCatalog): DocumentTerms {
  const sources = fieldSources(p, catalog);
  const counted = (text: string) =>
    countTerms((add) =>
      eachWord(text, (word) => {
        const term = indexTerm(word);
        if (term !== undefined) add(term);
      }),
    );
  return Object.fromEntries(Object.keys(FIELDS).map((field) => [field, counted(sources[field as SearchField])])) as DocumentTerms;
}

/** A monolithic lunr index over the same fields: what the shards must rank exactly like. */
export function lunrIndex(postmortems: readonly Searchable[], catalog: SearchCatalog): lunr.Index {
  return lunr(function () {
    this.ref('ref');
    for (const [field, boost] of Object.entries(FIELDS)) this.field(field, { boost });
    postmortems.forEach((p, n) => this.add({ ref: String(n), ...fieldTexts(p, catalog) }));
  });
}

// lunr's indexing pipeline (trimmer, stop-word filter, stemmer), as lunr.Builder runs it.
const pipeline = new lunr.Pipeline();
pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
/** Word → term, or null for a stop word. */
const indexed = new Map<string, string | null>();

/**
 * A word as the index stores it: undefined for a stop word. Each distinct word goes through
 * the pipeline once. Similarity (linking.ts) reads words through it too.
 */
export function indexTerm(word: string): string | undefined {
  let term = indexed.get(word);
  if (term === undefined) {
    const [token] = pipeline.run([new lunr.Token(word, {})]);
    term = token?.toString() ?? null;
    indexed.set(word, term);
  }
  return term ?? undefined;
}

/** The search files of the published postmortems, newest first (document n is postmortems[n]). */
export function buildSearchFiles(postmortems: readonly Searchable[], catalog: SearchCatalog): SearchFiles {
  return { ...termShards(postmortems.map((p) => p.terms?.search ?? documentTerms(p, catalog))), ...searchRows(postmortems) };
}

/** The term shards and the manifest of documents whose terms are `documents` (document n is documents[n]). */
export function termShards(documents: readonly DocumentTerms[]): Pick<SearchFiles, 'manifest' | 'shards'> {
  const fields = Object.keys(FIELDS) as SearchField[];
  const count = documents.length;

  // Term frequencies per document field, and the terms' indexes in order of first use, as
  // lunr.Builder.add. Flat lists (term index, frequency, term index, frequency…), not maps: at
  // ten thousand documents there are millions of them.
  // Counted once per document field that has the term, as lunr counts documents for its idf.
  const numbers = termNumbers();
  const frequencies: number[][][] = [];
  const lengths: number[][] = [];
  const totals = new Array<number>(fields.length).fill(0);
  for (const terms of documents) {
    const perField: number[][] = [];
    const lengthPerField: number[] = [];
    fields.forEach((field, f) => {
      const flat: number[] = [];
      let length = 0;
      eachTerm(terms[field], (term, tf) => {
        flat.push(numbers.count(term), tf);
        length += tf;
      });
      perField.push(flat);
      lengthPerField.push(length);
      totals[f]! += length;
    });
    frequencies.push(perField);
    lengths.push(lengthPerField);
  }

  // Vector components, as lunr.Builder.createFieldVectors computes and rounds them.
  const average = totals.map((total) => total / count);
  const idf = numbers.counts.map((df) => Math.log(1 + Math.abs((count - df + 0.5) / (df + 0.5))));
  // One shared empty list stands for every (term, field) that has no posting yet; never pushed to.
  const empty: number[] = [];
  const postings: number[][][] = Array.from({ length: numbers.counts.length }, () => fields.map(() => empty));
  const previous = new Int32Array(numbers.counts.length * fields.length);
  frequencies.forEach((perField, n) => {
    fields.forEach((field, f) => {
      const boost = FIELDS[field];
      const flat = perField[f]!;
      const norm = K1 * (1 - B + B * (lengths[n]![f]! / average[f]!));
      for (let k = 0; k < flat.length; k += 2) {
        const index = flat[k]!;
        const tf = flat[k + 1]!;
        let score = (idf[index]! * ((K1 + 1) * tf)) / (norm + tf);
        score *= boost;
        let list = postings[index]![f]!;
        if (list === empty) postings[index]![f] = list = [];
        list.push(n - previous[index * fields.length + f]!, Math.round(score * 1000));
        previous[index * fields.length + f] = n;
      }
    });
    perField.length = 0; // read once: let the collector have it
  });

  // Sorted by UTF-16 code units, as `<` compares; the built-in order, without a comparator, is quicker.
  const terms = [...numbers.ids.keys()].sort().map((term): ShardTerm => {
    const index = numbers.ids.get(term)!;
    return [term, index, postings[index]!];
  });
  const { prefixes, shards } = shard(terms);
  return { manifest: { version: 1, documents: count, shards: prefixes }, shards };
}

/** What each result shows, and the filters' facets (document n is postmortems[n]). */
export function searchRows(postmortems: readonly Searchable[]): Pick<SearchFiles, 'documents' | 'facets'> {
  return {
    documents: postmortems.map((p) => ({
      id: p.id,
      title: p.data.title,
      date: p.data.date,
      when: day(p.data.date),
      severity: p.data.severity,
      trigger: p.data.trigger,
      summary: p.data.summary,
      text: p.sections.map((section) => `${section.title}\n${section.text}`).join('\n\n'),
    })),
    facets: facets(postmortems),
  };
}

const sizeOf = (term: ShardTerm) => term[0].length + 16 + term[2].reduce((n, list) => n + 3 + list.length * 5, 0);

/**
 * Sorted terms into shards by prefix: a prefix whose terms are too large together is split by
 * the next character, the terms equal to the prefix itself staying in its own shard.
 */
function shard(terms: readonly ShardTerm[]): { prefixes: string[]; shards: Shard[] } {
  const prefixes: string[] = [];
  const shards: Shard[] = [];
  const visit = (list: readonly ShardTerm[], prefix: string) => {
    if (list.reduce((n, t) => n + sizeOf(t), 0) <= SHARD_BYTES || list.every((t) => t[0] === prefix)) {
      prefixes.push(prefix);
      shards.push({ terms: [...list] });
      return;
    }
    const own = list.filter((t) => t[0] === prefix);
    if (own.length) {
      prefixes.push(prefix);
      shards.push({ terms: own });
    }
    const groups = Map.groupBy(
      list.filter((t) => t[0] !== prefix),
      (t) => prefix + String.fromCodePoint(t[0].codePointAt(prefix.length)!),
    );
    for (const [longer, group] of groups) visit(group, longer);
  };
  if (terms.length) visit(terms, '');
  return { prefixes, shards };
}

function facets(postmortems: readonly Searchable[]): Facets {
  const values: Facets['values'] = { severity: [], trigger: [], year: [], cause: [], service: [] };
  const indexes = new Map<string, number>();
  const indexOf = (kind: keyof Facets['values'], value: string) => {
    const key = `${kind}\u0000${value}`;
    let index = indexes.get(key);
    if (index === undefined) {
      index = values[kind].push(value) - 1;
      indexes.set(key, index);
    }
    return index;
  };
  return {
    values,
    documents: postmortems.map((p) => [
      indexOf('severity', p.data.severity),
      indexOf('trigger', p.data.trigger),
      indexOf('year', p.data.date.slice(0, 4)),
      p.data.causes.map((c) => indexOf('cause', c)),
      p.data.blast_radius.services.map((s) => indexOf('service', s)),
    ]),
  };
}

/** Each search file as its path in the site and its text. */
export type SearchFileTexts = [file: string, text: string][];

export function searchFileTexts({ manifest, shards, documents, facets }: Partial<SearchFiles>): SearchFileTexts {
  return [
    ...(manifest ? [[path.join('search', 'manifest.json'), JSON.stringify(manifest)] as [string, string]] : []),
    ...(facets ? [[path.join('search', 'facets.json'), JSON.stringify(facets)] as [string, string]] : []),
    ...(shards ?? []).map((shard, n): [string, string] => [path.join('search', 'terms', `${n}.json`), JSON.stringify(shard)]),
    ...(documents ?? []).map((document, n): [string, string] => [path.join('search', 'docs', `${n}.json`), JSON.stringify(document)]),
  ];
}
