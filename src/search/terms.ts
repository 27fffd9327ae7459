/**
 * Terms counted as lunr counts them, for search and similarity alike: what a word is (a run of
 * letters and digits, read the same way in the browser), lunr's indexing pipeline (trimmer,
 * stop-word filter, stemmer), the search fields and their boosts, and the terms of each field
 * of a postmortem and of what it was about. Pure: the knowledge base counts them where it
 * parses a postmortem for the site (see ../knowledge-base/parse.ts) and caches them with it, so
 * a build only adds them up.
 */
import lunr from 'lunr';
import type { Postmortem } from '../format/postmortem.ts';
import type { Section } from '../format/sections.ts';
import type { Catalog } from '../format/vocabulary.ts';

/** What the index and the snippets agree a word is: a run of letters and digits. */
const WORD = /[\p{L}\p{N}]+/gu;

/** Words of a text, lowercased, with their offsets: the tokens the index is built from. */
export function words(text: string): { word: string; start: number; end: number }[] {
  return [...text.matchAll(WORD)].map((m) => ({ word: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }));
}

/** Text as the index sees it: words separated by single spaces. */
export function indexable(text: string): string {
  return (text.match(WORD) ?? []).map((word) => word.toLowerCase()).join(' ');
}

/** Whether a code point is a letter or a digit, as WORD reads it; remembered per code point. */
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const ascii = Uint8Array.from({ length: 128 }, (_, code) => Number(LETTER_OR_DIGIT.test(String.fromCharCode(code))));
const beyondAscii = new Map<number, boolean>();
function isWordCode(code: number): boolean {
  if (code < 128) return ascii[code] === 1;
  let yes = beyondAscii.get(code);
  if (yes === undefined) beyondAscii.set(code, (yes = LETTER_OR_DIGIT.test(String.fromCodePoint(code))));
  return yes;
}

/**
 * The words of `indexable(text)`, each with how many times it occurs, in order of first use.
 * What `[...text.matchAll(WORD)]` finds, lowercased (a property test holds it to that), read a
 * character at a time: several times quicker on the full text of every postmortem.
 */
export function countWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (start: number, end: number, lower: boolean) => {
    const word = lower ? text.slice(start, end) : text.slice(start, end).toLowerCase();
    counts.set(word, (counts.get(word) ?? 0) + 1);
  };
  let start = -1;
  let lower = true; // the word so far has only ASCII lowercase letters and digits: nothing to lowercase
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) code = text.codePointAt(i)!;
    if (isWordCode(code)) {
      if (start === -1) {
        start = i;
        lower = true;
      }
      if (code >= 128 || (code >= 65 && code <= 90)) lower = false;
    } else if (start !== -1) {
      add(start, i, lower);
      start = -1;
    }
    if (code > 0xffff) i++;
  }
  if (start !== -1) add(start, text.length, lower);
  return counts;
}

/** Field boosts: a title match beats a summary match, which beats a passing mention. */
export const FIELDS = { title: 10, summary: 4, causes: 3, services: 3, tags: 2, body: 1 } as const;
export type SearchField = keyof typeof FIELDS;

/** What the search fields are read from: a postmortem's front matter and the plain text of its sections. */
export type Countable = Pick<Postmortem, 'data'> & { sections: readonly Pick<Section, 'title' | 'text'>[] };

/**
 * Terms as counted for a document or one of its fields: the distinct terms (space-separated, in
 * order of first use, as lunr.Builder meets them) and how often each occurs. Compact, as it is
 * cached for every postmortem; lunr terms never hold a space.
 */
export type TermCounts = [terms: string, counts: number[]];
export type DocumentTerms = Record<SearchField, TermCounts>;

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

/** The terms of a postmortem that search and similarity count, cached with it (see ../knowledge-base/parse.ts). */
export interface PostmortemTerms {
  search: DocumentTerms;
  about: TermCounts;
}

/** Every term of a postmortem that search and similarity count. */
export function postmortemTerms(p: Postmortem, catalog: SearchCatalog): PostmortemTerms {
  return { search: documentTerms(p, catalog), about: aboutTerms(p) };
}

/** The text of each field of a postmortem, before `indexable`. */
function fieldSources(p: Countable, catalog: SearchCatalog): Record<SearchField, string> {
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
export function fieldTexts(p: Countable, catalog: SearchCatalog): Record<SearchField, string> {
  const sources = fieldSources(p, catalog);
  return Object.fromEntries(Object.entries(sources).map(([field, text]) => [field, indexable(text)])) as Record<SearchField, string>;
}

/**
 * The terms of each field of a postmortem. Counted where the postmortem is parsed for the site
 * (on a worker thread) and cached with its data, so a build only adds them up.
 */
export function documentTerms(p: Countable, catalog: SearchCatalog): DocumentTerms {
  const sources = fieldSources(p, catalog);
  // Words are counted first and each distinct word made a term once: the first word of a term
  // in order of first use is where the term is first used, so terms keep lunr's order.
  const counted = (text: string): TermCounts => {
    const counts = new Map<string, number>();
    for (const [word, n] of countWords(text)) {
      const term = indexTerm(word);
      if (term !== undefined) counts.set(term, (counts.get(term) ?? 0) + n);
    }
    return [[...counts.keys()].join(' '), [...counts.values()]];
  };
  return Object.fromEntries(Object.keys(FIELDS).map((field) => [field, counted(sources[field as SearchField])])) as DocumentTerms;
}

// lunr's indexing pipeline (trimmer, stop-word filter, stemmer), as lunr.Builder runs it.
const pipeline = new lunr.Pipeline();
pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
/** Word → term, or null for a stop word. */
const indexed = new Map<string, string | null>();

/**
 * A word as the index stores it: undefined for a stop word. Each distinct word goes through
 * the pipeline once. Similarity (../analysis/linking.ts) reads words through it too.
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

const LUNR_SEPARATOR = lunr.tokenizer.separator;

/**
 * The vocabulary of what incidents are about, on this thread: every word met, to the number of
 * its term, or -1 for a word similarity leaves out (a stop word, a single character, a number);
 * and every term by its number. Each word of a text is looked up once, and its term counted by
 * number: counting the words of each text first, then their terms in a second map, took half as
 * long again over the title, summary and root cause of every postmortem (docs/profiles.md).
 */
const aboutWords = new Map<string, number>();
const aboutTermIds = new Map<string, number>();
const aboutTermList: string[] = [];
/** By term number: how often the text being counted has used it so far (zero between texts). */
let tally = new Uint32Array(1024);

function aboutTermNumber(word: string): number {
  const term = indexTerm(word);
  let id = -1;
  if (term !== undefined && term.length > 1 && !/^\d+$/.test(term)) {
    id = aboutTermIds.get(term) ?? aboutTermList.push(term) - 1;
    aboutTermIds.set(term, id);
    if (id === tally.length) {
      const larger = new Uint32Array(2 * tally.length);
      larger.set(tally);
      tally = larger;
    }
  }
  aboutWords.set(word, id);
  return id;
}

/**
 * Terms of a text with their counts, in order of first use: lunr's own tokenizer and the
 * index's terms, so similarity and search agree on what a word is.
 */
function countedTerms(text: string): TermCounts {
  const used: number[] = [];
  // As lunr.tokenizer splits a string, without making a token object of each word.
  for (const word of text.toLowerCase().split(LUNR_SEPARATOR)) {
    if (word === '') continue;
    const id = aboutWords.get(word) ?? aboutTermNumber(word);
    if (id !== -1 && tally[id]++ === 0) used.push(id);
  }
  const counts = used.map((id) => {
    const count = tally[id]!;
    tally[id] = 0;
    return count;
  });
  return [used.map((id) => aboutTermList[id]).join(' '), counts];
}

/** The text that says what an incident was about: its summary and root cause. */
function aboutText(p: Pick<Postmortem, 'data' | 'sections'>): string {
  const rootCause = p.sections.find((section) => section.key === 'root cause')?.text ?? '';
  return `${p.data.title}\n${p.data.summary}\n${rootCause}`;
}

/**
 * The terms of what an incident was about, each with its count (terms space-separated).
 * Counted where the postmortem is parsed for the site and cached with its data.
 */
export function aboutTerms(p: Pick<Postmortem, 'data' | 'sections'>): TermCounts {
  return countedTerms(aboutText(p));
}
