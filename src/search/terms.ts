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

/** For each ASCII code: whether it is part of a word (a letter or a digit, as WORD reads it). */
const WORD_CODES = ascii;
/** For each ASCII code: whether it is part of a token as lunr's tokenizer cuts them (not whitespace, not a hyphen). */
const TOKEN_CODES = Uint8Array.from({ length: 128 }, (_, code) => Number(!/[\s-]/.test(String.fromCharCode(code))));
const NOT_ASCII = /[^\x00-\x7f]/;

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

/**
 * Terms numbered in order of first use, read from lists of terms separated by one space (as
 * TermCounts holds them) in place: each term is hashed (FNV-1a) as its characters are read and
 * looked up in an open-addressing table, and cut out of its list only when it is new. Over the
 * 50,000 lists of the bench's 10,000 postmortems: 510-590 ms against 670-900 ms for `split(' ')`
 * and a Map (docs/profiles.md).
 */
export class TermTable {
  /** By number: the term. */
  readonly terms: string[] = [];
  private readonly hashes: number[] = [];
  /** Each slot holds a term's number, or -1. */
  private slots = new Int32Array(4096).fill(-1);

  /** Calls `visit` with the number of each term of `list` in turn (a non-empty list: `''` is one empty term). */
  each(list: string, visit: (id: number) => void): void {
    let start = 0;
    let hash = 0x811c9dc5;
    for (let i = 0; i < list.length; i++) {
      const code = list.charCodeAt(i);
      if (code === 32) {
        visit(this.number(list, start, i, hash));
        start = i + 1;
        hash = 0x811c9dc5;
      } else {
        hash = Math.imul(hash ^ code, 0x01000193);
      }
    }
    visit(this.number(list, start, list.length, hash));
  }

  /** The number of `term`, or undefined when it was never met. */
  find(term: string): number | undefined {
    let hash = 0x811c9dc5;
    for (let i = 0; i < term.length; i++) hash = Math.imul(hash ^ term.charCodeAt(i), 0x01000193);
    const slot = this.slotOf(term, 0, term.length, hash);
    return this.slots[slot] === -1 ? undefined : this.slots[slot];
  }

  /** The number of the term `list[start, end)`, whose characters hash to `hash`: a new one on first use. */
  private number(list: string, start: number, end: number, hash: number): number {
    const slot = this.slotOf(list, start, end, hash);
    if (this.slots[slot] !== -1) return this.slots[slot]!;
    const id = this.terms.push(list.slice(start, end)) - 1;
    this.hashes.push(hash);
    this.slots[slot] = id;
    if (2 * this.terms.length > this.slots.length) this.grow();
    return id;
  }

  /** The slot of the term `text[start, end)`: where it is, or the empty one where it goes. */
  private slotOf(text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let id = this.slots[slot]!; id !== -1; slot = (slot + 1) & mask, id = this.slots[slot]!) {
      const term = this.terms[id]!;
      if (this.hashes[id] !== hash || term.length !== length) continue;
      let k = 0;
      while (k < length && text.charCodeAt(start + k) === term.charCodeAt(k)) k++;
      if (k === length) return slot;
    }
    return slot;
  }

  /** Doubles the table, for it to stay at most half full. */
  private grow(): void {
    const slots = new Int32Array(2 * this.slots.length).fill(-1);
    const mask = slots.length - 1;
    this.hashes.forEach((hash, id) => {
      let slot = hash & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = id;
    });
    this.slots = slots;
  }
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
  const counted = (text: string): TermCounts => {
    const search = vocabulary('search');
    search.countWords(text);
    return search.take();
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
    term = token === undefined ? null : own(token.toString());
    indexed.set(own(word), term);
  }
  return term ?? undefined;
}

/**
 * `text` as a string of its own. V8 makes a substring of 13 characters or more a view into the
 * text it was cut from: kept in a table for the life of the thread (the dev server's, say), a
 * word would keep the whole text it came from alive.
 */
const own = (text: string) => (text.length < 13 ? text : [...text].join(''));

const LUNR_SEPARATOR = lunr.tokenizer.separator;

/**
 * Terms counted text by text, numbered on this thread: every word met maps to the number of its
 * term, or to -1 for a word left out, and each text's terms are tallied by number. Each word of
 * a text is looked up once: counting the words of each text in a map first, then their terms
 * in another, took half as long again (docs/profiles.md). A word of ASCII letters and digits, by
 * far the most met, is looked up as it is read, in a table of its own keyed by a hash of its
 * lowercased characters, without being cut out of its text: a third less time than cutting
 * each word out and looking it up in a Map.
 */
class Vocabulary {
  /** Every word met, as its term's number (-1: left out). */
  private readonly words = new Map<string, number>();
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  /** By term number: how often the text being counted has used it so far (zero between texts). */
  private tally = new Uint32Array(1024);
  /** The terms the text being counted has used, by number, in order of first use. */
  private used: number[] = [];
  /**
   * The ASCII words met, in open addressing: four numbers a slot, the hash of the word's
   * characters, its number, where its characters (lowercase) start in `chars` and how many
   * there are (0: a free slot).
   */
  private table = new Int32Array(4 * 4096);
  private entries = 0;
  private chars = new Uint16Array(1 << 15);
  private charsEnd = 0;
  /** The text being counted, a character code each (see `scan`); as long as the longest text counted so far. */
  private units = new Uint16Array(1024);

  /** A word's term, or undefined to leave the word out. */
  private readonly termOf: (word: string) => string | undefined;

  constructor(termOf: (word: string) => string | undefined) {
    this.termOf = termOf;
  }

  /** Counts the words of `text` as `words` reads them (runs of letters and digits), lowercased. */
  countWords(text: string): void {
    this.scan(text, WORD_CODES, true);
  }

  /** Counts the tokens of `text` as lunr's tokenizer cuts them (between whitespace and hyphens), lowercased. */
  countTokens(text: string): void {
    // Lowercasing the whole text first, as lunr does, can differ from word by word beyond ASCII (a final sigma).
    if (NOT_ASCII.test(text)) {
      for (const word of text.toLowerCase().split(LUNR_SEPARATOR)) if (word !== '') this.add(word);
    } else {
      this.scan(text, TOKEN_CODES, false);
    }
  }

  /**
   * Counts the words of `text` made of the ASCII codes `codes` marks and, with `unicode`, of the
   * letters and digits beyond ASCII; without it, `text` is ASCII. FNV-1a hashes each ASCII word
   * as it is read.
   */
  private scan(text: string, codes: Uint8Array, unicode: boolean): void {
    // Read from a copy of its character codes: `charCodeAt` in this loop, which meets strings
    // of every kind V8 makes (flat, sliced, concatenated; one or two bytes a character), took
    // twice as long as copying them first and reading the copy (docs/profiles.md).
    const length = text.length;
    if (length > this.units.length) this.units = new Uint16Array(Math.max(length, 2 * this.units.length));
    const units = this.units;
    for (let i = 0; i < length; i++) units[i] = text.charCodeAt(i);
    let start = -1;
    let hash = 0;
    let ascii = true; // the word so far is ASCII: looked up in the table
    for (let i = 0; i < length; i++) {
      let code = units[i]!;
      let astral = false;
      if (code < 128) {
        if (codes[code] === 1) {
          if (start === -1) {
            start = i;
            hash = 0x811c9dc5;
            ascii = true;
          }
          hash = Math.imul(hash ^ (code >= 65 && code <= 90 ? code + 32 : code), 0x01000193);
          continue;
        }
      } else if (unicode) {
        if (code >= 0xd800 && code <= 0xdbff) code = text.codePointAt(i)!;
        astral = code > 0xffff;
        if (isWordCode(code)) {
          if (start === -1) start = i;
          ascii = false;
          if (astral) i++;
          continue;
        }
      }
      if (start !== -1) {
        if (ascii) this.addAscii(text, start, i, hash);
        else this.add(text.slice(start, i).toLowerCase());
        start = -1;
      }
      if (astral) i++;
    }
    if (start !== -1) {
      if (ascii) this.addAscii(text, start, length, hash);
      else this.add(text.slice(start).toLowerCase());
    }
  }

  /** Counts a word (already lowercase) of the text being counted. */
  private add(word: string): void {
    let id = this.words.get(word);
    if (id === undefined) id = this.number(word);
    this.count(id);
  }

  /** Counts the ASCII word `text[start, end)` (in `units` as well), lowercased, whose characters hash to `hash`. */
  private addAscii(text: string, start: number, end: number, hash: number): void {
    const length = end - start;
    const { table, units } = this;
    const last = table.length - 4;
    let at = (hash << 2) & last;
    for (; table[at + 3] !== 0; at = (at + 4) & last) {
      if (table[at] !== hash || table[at + 3] !== length) continue;
      const chars = this.chars;
      let k = 0;
      for (let c = table[at + 2]!; k < length; k++, c++) {
        const code = units[start + k]!;
        if ((code >= 65 && code <= 90 ? code + 32 : code) !== chars[c]) break;
      }
      if (k === length) return this.count(table[at + 1]!);
    }
    const word = text.slice(start, end).toLowerCase();
    const id = this.words.get(word) ?? this.number(word);
    if (this.charsEnd + length > this.chars.length) {
      const larger = new Uint16Array(2 * (this.charsEnd + length));
      larger.set(this.chars);
      this.chars = larger;
    }
    for (let k = 0; k < length; k++) this.chars[this.charsEnd + k] = word.charCodeAt(k);
    table[at] = hash;
    table[at + 1] = id;
    table[at + 2] = this.charsEnd;
    table[at + 3] = length;
    this.charsEnd += length;
    if (2 * ++this.entries > table.length >> 2) this.grow();
    this.count(id);
  }

  /** Doubles the table, for it to stay at most half full. */
  private grow(): void {
    const old = this.table;
    const table = new Int32Array(2 * old.length);
    const last = table.length - 4;
    for (let from = 0; from < old.length; from += 4) {
      if (old[from + 3] === 0) continue;
      let at = (old[from]! << 2) & last;
      while (table[at + 3] !== 0) at = (at + 4) & last;
      table.set(old.subarray(from, from + 4), at);
    }
    this.table = table;
  }

  private count(id: number): void {
    if (id !== -1 && this.tally[id]!++ === 0) this.used.push(id);
  }

  /** The terms of the text counted since the last call, with their counts, in order of first use. */
  take(): TermCounts {
    const used = this.used;
    this.used = [];
    const counts = used.map((id) => {
      const count = this.tally[id]!;
      this.tally[id] = 0;
      return count;
    });
    return [used.map((id) => this.terms[id]).join(' '), counts];
  }

  private number(word: string): number {
    const term = this.termOf(word);
    let id = -1;
    if (term !== undefined) {
      id = this.ids.get(term) ?? this.terms.push(term) - 1;
      this.ids.set(term, id);
      if (id === this.tally.length) {
        const larger = new Uint32Array(2 * this.tally.length);
        larger.set(this.tally);
        this.tally = larger;
      }
    }
    this.words.set(own(word), id);
    return id;
  }
}

/**
 * The vocabularies of this thread, made on first use: the search page's script imports this
 * module for `words` and `FIELDS` only, and then neither they nor their class are in its bundle.
 */
let vocabularies: { search: Vocabulary; about: Vocabulary } | undefined;
function vocabulary(which: 'search' | 'about'): Vocabulary {
  vocabularies ??= {
    /** The index's terms. */
    search: new Vocabulary(indexTerm),
    /** What similarity counts: the index's terms but single characters and numbers. */
    about: new Vocabulary((word) => {
      const term = indexTerm(word);
      return term !== undefined && term.length > 1 && !/^\d+$/.test(term) ? term : undefined;
    }),
  };
  return vocabularies[which];
}

/**
 * Terms of a text with their counts, in order of first use: lunr's own tokenizer and the
 * index's terms, so similarity and search agree on what a word is.
 */
function countedTerms(text: string): TermCounts {
  // As lunr.tokenizer splits a string, without making a token object of each word.
  const about = vocabulary('about');
  about.countTokens(text);
  return about.take();
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
