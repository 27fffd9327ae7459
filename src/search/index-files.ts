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
 *   manifest.json   shard prefixes, document count, summed field lengths
 *   terms/<n>.json  terms of shard n, each with its rank and postings per field
 *   docs/<n>.json   what result n shows (title, date, severity, summary, text for snippets)
 *   facets.json     severity, trigger, year, causes and services of every document, for filters
 */
import path from 'node:path';
import lunr from 'lunr';
import { day } from '../format/dates.ts';
import type { Section } from '../format/sections.ts';
import type { Postmortem } from '../knowledge-base/index.ts';
import type { Shard } from './query.ts';
import { documentTerms, fieldTexts, FIELDS, type DocumentTerms, type SearchCatalog, type SearchField } from './terms.ts';

/** What the index reads of a postmortem: its terms when they were counted as it was parsed, else its text. */
export type Searchable = Pick<Postmortem, 'id' | 'data' | 'terms'> & { sections: readonly Pick<Section, 'title' | 'text'>[] };


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
  version: 2;
  documents: number;
  /** Per field (in FIELDS order), the sum of its length over every document, for BM25's average field length. */
  lengths: number[];
  /** Shard prefixes, sorted; shard n is `terms/<n>.json`. */
  shards: string[];
}

/**
 * One term of a shard: `[term, rank, postings]`. Postings per field in FIELDS order, each a flat
 * list of (document number minus the previous one, term frequency, field length) triples; empty
 * when the field never holds the term. The rank is the term's place among the distinct terms of
 * the oldest document holding it, in order of first use over its fields.
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


/** A monolithic lunr index over the same fields: what the shards must rank exactly like. */
export function lunrIndex(postmortems: readonly Searchable[], catalog: SearchCatalog): lunr.Index {
  return lunr(function () {
    this.ref('ref');
    for (const [field, boost] of Object.entries(FIELDS)) this.field(field, { boost });
    // Oldest first, as the shards number terms; a document's ref is still its place, newest first.
    for (let n = postmortems.length - 1; n >= 0; n--) this.add({ ref: String(n), ...fieldTexts(postmortems[n]!, catalog) });
  });
}


/** The search files of the published postmortems, newest first (document n is postmortems[n]). */
export function buildSearchFiles(postmortems: readonly Searchable[], catalog: SearchCatalog): SearchFiles {
  return { ...termShards(postmortems.map((p) => p.terms?.search ?? documentTerms(p, catalog))), ...searchRows(postmortems) };
}

/**
 * The term shards and the manifest of documents whose terms are `documents` (document n is
 * documents[n], newest first).
 *
 * A posting holds what lunr's BM25 reads of one document field, its term frequency and the
 * field's length, not the score itself: the browser works the score out (see `assemble`). A
 * score also depends on the average field length and the number of documents with the term,
 * which every edit moves a little; stored, it would change the shard of nearly every term at
 * each edit, whereas this way an edit changes only the shards of the terms of the edited incident.
 */
export function termShards(documents: readonly DocumentTerms[]): Pick<SearchFiles, 'manifest' | 'shards'> {
  const fields = Object.keys(FIELDS) as SearchField[];
  const F = fields.length;
  const count = documents.length;
  // Millions of (document, field, term) occurrences at ten thousand documents: they go into
  // flat typed arrays, counted in a first pass and placed in a second, never into a list per
  // term that grows.
  let total = 0;
  for (const document of documents) for (const field of fields) total += document[field][1].length;
  const occurrences = new Int32Array(total); // term number of each occurrence, in the order met
  const frequencies = new Int32Array(total);
  const lengths = new Int32Array(count * F); // per document and field: its length in terms
  const totals = new Array<number>(F).fill(0);

  // lunr.Builder numbers terms in order of first use. The shards do not store those numbers: a
  // new word would move every term first used after it. Each term keeps instead its rank in the
  // document that first used it (the oldest holding it, documents being added oldest first, as
  // `lunrIndex` adds them), from which the browser orders a query's terms as lunr numbers them.
  const numbers = new Map<string, number>();
  const terms: string[] = [];
  const ranks: number[] = [];
  let seenIn = new Int32Array(1024).fill(-1); // by term number: the last document it was met in
  let slots = new Int32Array(1024 * F); // by term number and field: how many documents hold it
  let at = 0;
  for (let n = count - 1; n >= 0; n--) {
    let rank = 0;
    for (let f = 0; f < F; f++) {
      const [list, counts] = documents[n]![fields[f]!];
      let length = 0;
      if (counts.length) {
        const words = list.split(' ');
        for (let k = 0; k < words.length; k++) {
          let id = numbers.get(words[k]!);
          if (id === undefined) {
            id = terms.length;
            numbers.set(words[k]!, id);
            terms.push(words[k]!);
            ranks.push(rank);
            if (id === seenIn.length) [seenIn, slots] = [grown(seenIn, -1), grown(slots, 0)];
          }
          if (seenIn[id] !== n) {
            seenIn[id] = n;
            rank++;
          }
          occurrences[at] = id;
          frequencies[at++] = counts[k]!;
          length += counts[k]!;
          slots[id * F + f]!++;
        }
      }
      lengths[n * F + f] = length;
      totals[f]! += length;
    }
  }

  // Postings: (document, frequency, field length) triples, each (term, field) in its own range
  // of one array, newest document first; filled from the end of each range, as the documents
  // were met oldest first.
  const ends = new Int32Array(terms.length * F + 1);
  for (let slot = 0; slot < terms.length * F; slot++) ends[slot + 1] = ends[slot]! + 3 * slots[slot]!;
  const next = ends.slice(1);
  const postings = new Int32Array(3 * total);
  at = 0;
  for (let n = count - 1; n >= 0; n--) {
    for (let f = 0; f < F; f++) {
      for (let k = documents[n]![fields[f]!][1].length; k > 0; k--, at++) {
        const slot = occurrences[at]! * F + f;
        const p = (next[slot]! -= 3);
        postings[p] = n;
        postings[p + 1] = frequencies[at]!;
        postings[p + 2] = lengths[n * F + f]!;
      }
    }
  }
  /** The postings of a term in a field, each document as the difference from the one before it. */
  const list = (id: number, f: number): number[] => {
    const result: number[] = [];
    for (let k = ends[id * F + f]!, to = ends[id * F + f + 1]!, previous = 0; k < to; k += 3) {
      result.push(postings[k]! - previous, postings[k + 1]!, postings[k + 2]!);
      previous = postings[k]!;
    }
    return result;
  };

  // Sorted by UTF-16 code units, as `<` compares; the built-in order, without a comparator, is quicker.
  const sorted = [...terms].sort().map((term): ShardTerm => {
    const id = numbers.get(term)!;
    return [term, ranks[id]!, fields.map((_, f) => list(id, f))];
  });
  const { prefixes, shards } = shard(sorted);
  return { manifest: { version: 2, documents: count, lengths: totals, shards: prefixes }, shards };
}

/** `array` copied into one twice as long, the rest filled with `fill`. */
function grown(array: Int32Array<ArrayBuffer>, fill: number): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(array.length * 2).fill(fill);
  larger.set(array);
  return larger;
}

/** What each result shows, and the filters' facets (document n is postmortems[n]). */
export function searchRows(postmortems: readonly Searchable[]): Pick<SearchFiles, 'documents' | 'facets'> {
  return { documents: postmortems.map(searchRow), facets: facets(postmortems) };
}

/** What a result shows of a postmortem. */
function searchRow(p: Searchable): SearchDocument {
  return {
    id: p.id,
    title: p.data.title,
    date: p.data.date,
    when: day(p.data.date),
    severity: p.data.severity,
    trigger: p.data.trigger,
    summary: p.data.summary,
    text: p.sections.map((section) => `${section.title}\n${section.text}`).join('\n\n'),
  };
}

const sizeOf = (term: ShardTerm) => term[0].length + 16 + term[2].reduce((n, list) => n + 3 + list.length * 3, 0);

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

const FACETS_FILE = path.join('search', 'facets.json');
const rowFile = (n: number) => path.join('search', 'docs', `${n}.json`);

/** Each given search file as its path and text. */
export function searchFileTexts({ manifest, shards, documents, facets: facetsOfDocuments }: Partial<SearchFiles>): SearchFileTexts {
  return [
    ...(manifest ? [[path.join('search', 'manifest.json'), JSON.stringify(manifest)] as [string, string]] : []),
    ...(facetsOfDocuments ? [[FACETS_FILE, JSON.stringify(facetsOfDocuments)] as [string, string]] : []),
    ...(shards ?? []).map((shard, n): [string, string] => [path.join('search', 'terms', `${n}.json`), JSON.stringify(shard)]),
    ...(documents ?? []).map((document, n): [string, string] => [rowFile(n), JSON.stringify(document)]),
  ];
}

/** The facets and the result rows of `postmortems` as files; of the rows, only those `wanted` are made at all. */
export function searchRowFiles(postmortems: readonly Searchable[], wanted: (row: number) => boolean): SearchFileTexts {
  return [[FACETS_FILE, JSON.stringify(facets(postmortems))], ...postmortems.flatMap((p, n): [string, string][] => (wanted(n) ? [[rowFile(n), JSON.stringify(searchRow(p))]] : []))];
}
