/**
 * Searching the lunr index: the part that runs in the reader's browser (and in tests). Input
 * is read as plain words, so nothing a reader types is lunr query syntax (`foo:`, `~`, `^`,
 * quotes) and nothing throws. Every word counts: incidents that match all of them come first,
 * then those that match fewer, each group in lunr's order (BM25 with field boosts).
 */
import lunr from 'lunr';

/** What the index and the snippets agree a word is: a run of letters and digits. */
const WORD = /[\p{L}\p{N}]+/gu;

/** Words of a text, lowercased, with their offsets: the tokens the index is built from. */
export function words(text: string): { word: string; start: number; end: number }[] {
  return [...text.matchAll(WORD)].map((m) => ({ word: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }));
}

/** Text as the index sees it: words separated by single spaces. */
export function indexable(text: string): string {
  return words(text)
    .map((w) => w.word)
    .join(' ');
}

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

/** Field boosts: a title match beats a summary match, which beats a passing mention. */
export const FIELDS = { title: 10, summary: 4, causes: 3, services: 3, tags: 2, body: 1 } as const;

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
