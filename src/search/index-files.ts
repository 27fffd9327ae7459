/**
 * The search index of the published site, sharded so a reader fetches only what a query needs.
 *
 * The index is lunr's: the same tokens (lunr's trimmer, stop-word filter and stemmer), the
 * same BM25 field vectors with the same field boosts and rounding. Instead of one serialized
 * index, each term is written with its vector components (one per document field holding it)
 * into a shard: the terms, sorted, are cut into runs of consecutive terms of about 16 KB of JSON
 * each (see `shard`), a term larger than that alone in its own. In the browser, `assemble` turns
 * the shards of a query's terms into a small lunr index; lunr scores a document by the query
 * terms' components of its field vectors only, so it ranks exactly as the whole index would (a
 * test compares the two on a corpus). Result rows and filter facets are stored apart, fetched
 * only for the results shown; the rows go ROWS_PER_FILE to a file, so that a site of 10,000
 * incidents stays under the 20,000 files a static host such as Cloudflare Pages takes.
 *
 * Files (under /search/):
 *   manifest.json      each shard's first term (sorted), document count, summed field lengths, rows per file
 *   terms/<name>.json  terms of one shard, each with its rank and postings per field; the name is
 *                      a hash of the shard's first term (`shardName`), which the browser finds in
 *                      the manifest by binary search
 *   docs/<n>.json      what results n·k to n·k+k-1 show (k = rows per file: title, date, severity,
 *                      summary, text for snippets), a list
 *   facets.json        severity, trigger, year, causes and services of every document, for filters
 */
import path from 'node:path';
import lunr from 'lunr';
import { day } from '../format/dates.ts';
import type { Section } from '../format/sections.ts';
import type { Postmortem } from '../knowledge-base/index.ts';
import { unpackSearchTerms } from '../knowledge-base/search-terms.ts';
import { hash53, shardName, type Shard } from './query.ts';
import { documentTerms, fieldTexts, FIELDS, TermTable, type DocumentTerms, type SearchCatalog, type SearchField } from './terms.ts';

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
  version: 3;
  documents: number;
  /** Per field (in FIELDS order), the sum of its length over every document, for BM25's average field length. */
  lengths: number[];
  /** The first term of each shard, sorted; the shard starting with `t` is `terms/<shardName(t)>.json` and holds the terms from `t` up to the next shard's first. */
  shards: string[];
  /** Result rows per file: result n is item n % rowsPerFile of `docs/<⌊n / rowsPerFile⌋>.json`. */
  rowsPerFile: number;
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

/**
 * Result rows per file. One per file would make 10,000 files at 10,000 incidents beside the
 * 10,000 incident pages; two make 5,000, and a query's 20 rows cost about 66 KB of gzip instead
 * of 36 KB (a pair compresses to 3.3 KB, a row alone to 1.8 KB).
 */
export const ROWS_PER_FILE = 2;

/**
 * How shards are cut (see `shard`), in bytes of JSON: none ends before it holds `min` (unless the
 * next term would take it past `max`), each term after that starts a new one with a chance of its
 * size over `spread`, and none grows past `max` but a lone larger term.
 */
export interface ShardSizes {
  min: number;
  spread: number;
  max: number;
}

/**
 * Shards of about 16 KB (7 KB of gzip): 1,700 of them at 10,000 incidents, of which a query of
 * two words fetches about 15 KB. Smaller ones would make more files for few bytes less (2,400
 * shards for 10 KB at half these sizes); the manifest, which every query fetches, lists one term
 * per shard (4.6 KB of gzip).
 */
export const SHARD_SIZES: ShardSizes = { min: 6 * 1024, spread: 12 * 1024, max: 32 * 1024 };


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
export function buildSearchFiles(postmortems: readonly Searchable[], catalog: SearchCatalog, sizes = SHARD_SIZES): SearchFiles {
  return { ...termShards(postmortems.map((p) => (p.terms ? unpackSearchTerms(p.terms.search) : documentTerms(p, catalog))), sizes), ...searchRows(postmortems) };
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
export function termShards(documents: readonly DocumentTerms[], sizes = SHARD_SIZES): Pick<SearchFiles, 'manifest' | 'shards'> {
  const shards: Shard[] = [];
  return { manifest: eachTermShard(documents, (made) => shards.push(made), sizes), shards };
}

/**
 * termShards, each shard handed to `each` as soon as it is made and then let go of: the search
 * index of ten thousand postmortems is a few hundred megabytes of arrays before it is text, and
 * the background worker makes it while Astro bundles the pages.
 */
export function eachTermShard(documents: readonly DocumentTerms[], each: (shard: Shard) => void, sizes = SHARD_SIZES): Manifest {
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
  const table = new TermTable();
  const terms = table.terms;
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
        let k = 0;
        table.each(list, (id) => {
          if (id === ranks.length) {
            // A new term.
            ranks.push(rank);
            if (id === seenIn.length) [seenIn, slots] = [grown(seenIn, -1), grown(slots, 0)];
          }
          if (seenIn[id] !== n) {
            seenIn[id] = n;
            rank++;
          }
          occurrences[at] = id;
          frequencies[at++] = counts[k]!;
          length += counts[k++]!;
          slots[id * F + f]!++;
        });
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

  // Sorted by UTF-16 code units, as `<` compares; the built-in order, without a comparator, is
  // quicker. Each term's postings are made when its shard is.
  function* sorted(): Generator<ShardTerm> {
    for (const term of [...terms].sort()) {
      const id = table.find(term)!;
      yield [term, ranks[id]!, fields.map((_, f) => list(id, f))];
    }
  }
  const firsts = shard(sorted(), sizes, each);
  return { version: 3, documents: count, lengths: totals, shards: firsts, rowsPerFile: ROWS_PER_FILE };
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

/** How many characters `n` (a whole number, not negative) takes in JSON. */
const digits = (n: number) => (n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : String(n).length);

/** The length of a term's JSON in its shard, with the comma before it: `,["term",3,[[0,1,5],[],…]]`. */
function sizeOf([term, rank, postings]: ShardTerm): number {
  let size = JSON.stringify(term).length + digits(rank) + 6 + postings.length;
  for (const list of postings) {
    size += 2 + Math.max(0, list.length - 1);
    for (let i = 0; i < list.length; i++) size += digits(list[i]!);
  }
  return size;
}

/** A number in [0, 1) that depends on `term` only, for where shards are cut. */
const chance = (term: string) => (hash53(term, 1) % 2 ** 32) / 2 ** 32;

/**
 * Sorted terms into shards of consecutive terms, each named by its first (see ShardSizes).
 * Where a shard ends depends on the terms themselves, as in content-defined chunking, not on a
 * running total of bytes from the first term: an edit that grows, adds or removes terms moves at
 * most the ends of the shards around them, and the shards further on, starting at the same
 * terms as before, keep their names and their bytes. A term whose shard name is taken (53-bit
 * hashes: in practice never) starts no shard.
 */
function shard(terms: Iterable<ShardTerm>, { min, spread, max }: ShardSizes, each: (shard: Shard) => void): string[] {
  const firsts: string[] = [];
  const names = new Set<string>();
  let current: ShardTerm[] = [];
  let size = 0;
  for (const term of terms) {
    const bytes = sizeOf(term);
    if (current.length && (size + bytes > max || (size >= min && chance(term[0]) < bytes / spread)) && !names.has(shardName(term[0]))) {
      each({ terms: current });
      [current, size] = [[], 0];
    }
    if (!current.length) {
      firsts.push(term[0]);
      names.add(shardName(term[0]));
    }
    current.push(term);
    size += bytes;
  }
  if (current.length) each({ terms: current });
  return firsts;
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

/** The number of result-row files of `count` documents: file n holds rows n·ROWS_PER_FILE onwards. */
export const rowFileCount = (count: number) => Math.ceil(count / ROWS_PER_FILE);

/** The documents (or postmortems) whose rows file n holds. */
export const inRowFile = <T>(all: readonly T[], n: number): T[] => all.slice(n * ROWS_PER_FILE, (n + 1) * ROWS_PER_FILE);

/** A term shard as its file's path and text. */
export const shardFile = (shard: Shard): [file: string, text: string] => [path.join('search', 'terms', `${shardName(shard.terms[0]![0])}.json`), JSON.stringify(shard)];

/** Each given search file as its path and text. */
export function searchFileTexts({ manifest, shards, documents, facets: facetsOfDocuments }: Partial<SearchFiles>): SearchFileTexts {
  return [
    ...(manifest ? [[path.join('search', 'manifest.json'), JSON.stringify(manifest)] as [string, string]] : []),
    ...(facetsOfDocuments ? [[FACETS_FILE, JSON.stringify(facetsOfDocuments)] as [string, string]] : []),
    ...(shards ?? []).map(shardFile),
    ...Array.from({ length: rowFileCount(documents?.length ?? 0) }, (_, n): [string, string] => [rowFile(n), JSON.stringify(inRowFile(documents!, n))]),
  ];
}

/** The facets and the result rows of `postmortems` as files; of the row files, only those `wanted` are made at all. */
export function searchRowFiles(postmortems: readonly Searchable[], wanted: (file: number) => boolean): SearchFileTexts {
  const rows = Array.from({ length: rowFileCount(postmortems.length) }, (_, n) => n).filter(wanted);
  return [[FACETS_FILE, JSON.stringify(facets(postmortems))], ...rows.map((n): [string, string] => [rowFile(n), JSON.stringify(inRowFile(postmortems, n).map(searchRow))])];
}
