/**
 * Searching the lunr index: the part that runs in the reader's browser (and in tests). Input
 * is read as plain words, so nothing a reader types is lunr query syntax (`foo:`, `~`, `^`,
 * quotes) and nothing throws. Every word counts: incidents that match all of them come first,
 * then those that match fewer, each group in lunr's order (BM25 with field boosts).
 */
import lunr from 'lunr';
import { FIELDS, words, type SearchField } from './terms.ts';

export function stem(word: string): string {
  return lunr.stemmer(new lunr.Token(word.toLowerCase(), {})).toString();
}

const isStopWord = (word: string) => !lunr.stopWordFilter(new lunr.Token(word, {}));

export interface QueryTerm {
  /** As typed, lowercased. */
  word: string;
  /** As the index stores it. */
  stem: string;
}

/** The words of a query that can match anything: at most 12, stop words dropped, no repeats. */
export function queryTerms(input: string): QueryTerm[] {
  const seen = new Set<string>();
  const terms: QueryTerm[] = [];
  for (const { word } of words(input.slice(0, 500))) {
    if (isStopWord(word) || seen.has(word)) continue;
    seen.add(word);
    terms.push({ word, stem: stem(word) });
  }
  return terms.slice(0, 12);
}

/** Prefixes are searched for words of at least this many letters. */
const PREFIX_LENGTH = 3;

/** Index terms a query can match: each word's stem exactly, and (long enough words) as a prefix. */
function matcher(terms: readonly QueryTerm[]): (term: string) => boolean {
  const stems = new Set(terms.map((t) => t.stem));
  const prefixes = terms.filter((t) => t.word.length >= PREFIX_LENGTH).map((t) => t.word);
  return (term) => stems.has(term) || prefixes.some((p) => term.startsWith(p));
}

/** A 53-bit hash of `text` (cyrb53), the same in the build and the browser. */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The name of the shard file whose first term is `first` (`terms/<name>.json`): its hash in base
 * 36. Named by its first term rather than by its place, a shard keeps its name, and so its file,
 * when shards before it split or merge; the build never gives two shards one name (see
 * index-files.ts).
 */
export const shardName = (first: string) => hash53(first).toString(36);

/**
 * The shards (by position in the manifest's list of first terms, sorted) holding every term the
 * query can match: for a stem, the shard whose range holds it (the last one starting at or before
 * it); for a prefix, that one and each following shard whose first term has the prefix, as a
 * range of terms may span several shards.
 */
export function shardsFor(input: string, firsts: readonly string[]): number[] {
  const wanted = new Set<number>();
  /** The place of the last shard whose first term is at or before `term`, -1 if none (compared as `<` compares). */
  const holding = (term: string) => {
    let [low, high] = [0, firsts.length - 1];
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (firsts[middle]! <= term) [found, low] = [middle, middle + 1];
      else high = middle - 1;
    }
    return found;
  };
  for (const term of queryTerms(input)) {
    const stem = holding(term.stem);
    if (stem !== -1) wanted.add(stem);
    if (term.word.length < PREFIX_LENGTH) continue;
    // Terms with the prefix come right after it: in the shard holding the prefix itself, then
    // in the shards that start with it. A first term past them without it is past them all.
    let at = holding(term.word);
    if (at !== -1) wanted.add(at);
    while (++at < firsts.length && firsts[at]!.startsWith(term.word)) wanted.add(at);
  }
  return [...wanted].sort((a, b) => a - b);
}

// lunr's BM25 parameters (lunr.Builder defaults).
const K1 = 1.2;
const B = 0.75;

/** What `assemble` reads of the manifest: the number of documents and the summed length of each field. */
export interface Collection {
  documents: number;
  /** Per field, in FIELDS order. */
  lengths: readonly number[];
}

/**
 * A lunr index holding only the terms the query can match, from their shards: the terms in the
 * order the whole index numbers them, and field vectors with those terms' components, worked out
 * from each posting's term frequency and field length as lunr.Builder.createFieldVectors does
 * (same formula, order of operations and rounding, so the same numbers). lunr scores a document by the dot product of
 * the query vector with its field vectors, divided by the query vector's length, so these give
 * the scores the whole index gives.
 */
export function assemble(shards: readonly Shard[], input: string, { documents: count, lengths }: Collection): lunr.Index {
  const fields = Object.keys(FIELDS) as SearchField[];
  const average = lengths.map((total) => total / count);
  const matches = matcher(queryTerms(input));
  // The matched terms numbered as lunr.Builder numbers terms, in order of first use with the
  // documents added oldest first: by their oldest document, then their rank in it.
  const matched = shards.flatMap((shard) =>
    shard.terms.filter(([term]) => matches(term)).map(([term, rank, postings]) => {
      // A list's last document (the deltas summed) is its oldest.
      let oldest = -1;
      for (const list of postings) {
        let n = 0;
        for (let i = 0; i < list.length; i += 3) n += list[i]!;
        if (list.length) oldest = Math.max(oldest, n);
      }
      return { term, rank, postings, oldest };
    }),
  );
  matched.sort((a, b) => b.oldest - a.oldest || a.rank - b.rank);
  const invertedIndex: [string, Record<string, unknown>][] = [];
  const vectors = new Map<string, [number, number][]>();
  matched.forEach(({ term, postings }, index) => {
    // Documents holding the term, counted once per field, as lunr.idf counts them.
    const df = postings.reduce((n, list) => n + list.length / 3, 0);
    const idf = Math.log(1 + Math.abs((count - df + 0.5) / (df + 0.5)));
    const posting: Record<string, unknown> = { _index: index };
    fields.forEach((field, f) => {
      const documents: Record<string, object> = {};
      const list = postings[f] ?? [];
      let n = 0;
      for (let i = 0; i < list.length; i += 3) {
        n += list[i]!;
        const [tf, length] = [list[i + 1]!, list[i + 2]!];
        documents[n] = {};
        let score = (idf * ((K1 + 1) * tf)) / (K1 * (1 - B + B * (length / average[f]!)) + tf);
        score *= FIELDS[field];
        const ref = `${field}/${n}`;
        let vector = vectors.get(ref);
        if (!vector) vectors.set(ref, (vector = []));
        vector.push([index, Math.round(score * 1000) / 1000]);
      }
      posting[field] = documents;
    });
    invertedIndex.push([term, posting]);
  });
  invertedIndex.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const fieldVectors = [...vectors].map(([ref, components]) => [ref, components.sort((a, b) => a[0] - b[0]).flat()]);
  return lunr.Index.load({ version: lunr.version, fields, fieldVectors, invertedIndex, pipeline: ['stemmer'] });
}

/** What a shard file holds (see index-files.ts). */
export interface Shard {
  terms: [term: string, rank: number, postings: number[][]][];
}

export interface Hit {
  ref: string;
  score: number;
  /** How many of the query's words matched. */
  matched: number;
  /** Index terms (stems) that matched, for marking them in snippets. */
  terms: string[];
}

export function search(index: lunr.Index, input: string): Hit[] {
  const terms = queryTerms(input);
  if (!terms.length) return [];
  const results = index.query((query) => {
    for (const term of terms) {
      query.term(term.stem, { usePipeline: false });
      // Prefixes find words being typed and other forms of a word ("config" → "configuration").
      if (term.word.length >= 3) query.term(term.word, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 0.5 });
    }
  });
  const hits = results.map((result) => {
    const found = Object.keys(result.matchData.metadata);
    const matched = terms.filter((t) => found.some((f) => f === t.stem || (t.word.length >= 3 && f.startsWith(t.word)))).length;
    return { ref: result.ref, score: result.score, matched, terms: found };
  });
  return hits.sort((a, b) => b.matched - a.matched || b.score - a.score || (a.ref < b.ref ? -1 : 1));
}

export interface Snippet {
  text: string;
  marked: boolean;
}

/**
 * A window of `text` around its densest cluster of matched words, cut at word boundaries,
 * as pieces to render with the matched words marked (as text: never parsed as HTML).
 */
export function snippet(text: string, terms: readonly string[], size = 220): Snippet[] {
  const wanted = new Set(terms);
  const all = words(text);
  const hits = all.filter((w) => wanted.has(stem(w.word)));
  let from = 0;
  if (hits.length) {
    // The hit that starts the window holding the most hits.
    let best = 0;
    let j = 0;
    hits.forEach((first, i) => {
      while (j < hits.length && hits[j]!.end - first.start <= size) j++;
      if (j - i > best) [best, from] = [j - i, first.start];
    });
    from = Math.max(0, from - 40);
    while (from > 0 && /\S/.test(text.charAt(from - 1))) from--;
  }
  let to = Math.min(text.length, from + size);
  while (to < text.length && /\S/.test(text.charAt(to))) to++;
  const pieces: Snippet[] = [];
  let at = from;
  for (const hit of hits) {
    if (hit.start < from || hit.end > to) continue;
    if (hit.start > at) pieces.push({ text: text.slice(at, hit.start), marked: false });
    pieces.push({ text: text.slice(hit.start, hit.end), marked: true });
    at = hit.end;
  }
  if (at < to) pieces.push({ text: text.slice(at, to), marked: false });
  if (from > 0) pieces.unshift({ text: '… ', marked: false });
  if (to < text.length) pieces.push({ text: ' …', marked: false });
  return pieces;
}
