/**
 * Links between postmortems: recurring causes, shared services, explicit `related` links (shown
 * on both ends) and "possibly related" incidents found by text similarity. Pure, and linear in
 * the size of the knowledge base apart from the similarity step, which only compares incidents
 * that share a reasonably rare word.
 */
import { declinedOn, finishedOn, remediationAt, type RemediationAt } from './action-items.ts';
import type { Postmortem } from '../knowledge-base/index.ts';
import { aboutTerms, TermTable, type TermCounts } from '../search/terms.ts';

export interface Links {
  /** Postmortems by id. */
  byId: ReadonlyMap<string, Postmortem>;
  /** Cause id → postmortems with that cause, oldest first. */
  byCause: ReadonlyMap<string, readonly Postmortem[]>;
  /** Service id → postmortems that affected the service, oldest first. */
  byService: ReadonlyMap<string, readonly Postmortem[]>;
  /** Id → explicitly related postmortems, whichever end named the other; oldest first. */
  related: ReadonlyMap<string, readonly Postmortem[]>;
  /** Id → up to three possibly related postmortems, most similar first. */
  similar: ReadonlyMap<string, readonly Similar[]>;
  /** Id → earlier incidents of the same organization whose remediation was unfinished when it recurred (the latest WHILE_OPEN_KEPT per cause). */
  whileOpen: ReadonlyMap<string, readonly WhileOpen[]>;
  /** Id → later incidents of the same organization that recurred while its remediation was unfinished (the first WHILE_OPEN_KEPT per cause). */
  reopenedBy: ReadonlyMap<string, readonly WhileOpen[]>;
  /** Id → how many distinct earlier incidents `whileOpen` stands for. */
  whileOpenCount: ReadonlyMap<string, number>;
  /** Id → how many distinct later incidents `reopenedBy` stands for. */
  reopenedCount: ReadonlyMap<string, number>;
  /** Id → earlier incidents of the same organization with a cause of it, one of whose items had been declined when it happened (the latest WHILE_OPEN_KEPT per cause). */
  afterDeclined: ReadonlyMap<string, readonly WhileOpen[]>;
  /** Id → how many distinct earlier incidents `afterDeclined` stands for. */
  afterDeclinedCount: ReadonlyMap<string, number>;
}

/** A cause that recurred while remediation of an earlier incident with it was unfinished (or after an item of it was declined). */
export interface WhileOpen {
  cause: string;
  /** The earlier incident, whose remediation was unfinished (or had a declined item). */
  earlier: Postmortem;
  /** The incident that recurred. */
  later: Postmortem;
}

export interface Similar {
  postmortem: Postmortem;
  /** Cosine similarity of the summaries and root causes, 0–1. */
  score: number;
}

/** Below this, texts share too little to call the incidents related. */
export const SIMILARITY_THRESHOLD = 0.15;
const MAX_SIMILAR = 3;
/** Knowledge bases larger than this compare incidents through their heaviest words only. */
const LARGE = 2000;
const TOP_TERMS = 24;

const starts = new WeakMap<Postmortem, string>();

/** When impact started: the `[start]` entry, else the start of the incident's UTC day. */
export function startOf(postmortem: Postmortem): string {
  // Remembered: every sort of incidents asks for it again and again.
  let start = starts.get(postmortem);
  if (start === undefined) {
    start = postmortem.timeline.find((entry) => entry.marker === 'start')?.time ?? `${postmortem.data.date}T00:00:00Z`;
    starts.set(postmortem, start);
  }
  return start;
}

/** Oldest first; incidents that started at the same instant go by id. */
export function chronological(a: Postmortem, b: Postmortem): number {
  const [x, y] = [startOf(a), startOf(b)];
  return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Links between `postmortems`. `similar` is their similarity (see `similarIncidents`) when it
 * was worked out elsewhere, as `hindsight build` does on a worker thread while other work goes on.
 */
export function linkPostmortems(postmortems: readonly Postmortem[], similar?: SimilarIds): Links {
  const { ordered, byId, related } = explicitLinks(postmortems);
  const byCause = new Map<string, Postmortem[]>();
  const byService = new Map<string, Postmortem[]>();
  // A cause or service named twice by one incident counts once.
  for (const p of ordered) {
    for (const cause of new Set(p.data.causes)) push(byCause, cause, p);
    for (const service of new Set(p.data.blast_radius.services)) push(byService, service, p);
  }
  similar ??= similarIncidents(inputOf(ordered, related));
  const similarLists = new Map([...similar].map(([id, list]) => [id, list.map(([other, score]) => ({ postmortem: byId.get(other)!, score }))]));
  return { byId, byCause, byService, related, similar: similarLists, ...recurrencesWhileOpen(ordered, byCause) };
}

/** The postmortems in chronological order, by id, and their explicit `related` links, on both ends. */
function explicitLinks(postmortems: readonly Postmortem[]) {
  const ordered = [...postmortems].sort(chronological);
  const byId = new Map(ordered.map((p) => [p.id, p]));
  const related = new Map<string, Set<Postmortem>>();
  const link = (from: Postmortem, to: Postmortem) => {
    const set = related.get(from.id) ?? new Set();
    set.add(to);
    related.set(from.id, set);
  };
  for (const p of ordered) {
    for (const id of p.data.related ?? []) {
      const other = byId.get(id);
      if (other && other !== p) {
        link(p, other);
        link(other, p);
      }
    }
  }
  return { ordered, byId, related: new Map([...related].map(([id, set]) => [id, [...set].sort(chronological)])) };
}

/** Pairs kept per incident and cause: the latest earlier incidents, the first later ones. */
export const WHILE_OPEN_KEPT = 10;

/**
 * Pairs of incidents with a shared cause where the later one happened before the earlier one's
 * remediation was finished. Only within one organization: another organization's open fixes
 * were never this one's to make.
 *
 * Their number grows with the square of the knowledge base, so pairs are never listed one by
 * one. Incidents are bits (by chronological position) in one set per cause and organization;
 * sweeping the incidents by date grows the set of those whose remediation was finished by then,
 * and sweeping them by finish date the set of those that had started by then. How many distinct
 * incidents each one has on either side is then a count of bits, a word at a time, and only the
 * WHILE_OPEN_KEPT nearest per incident and cause become objects.
 */
function recurrencesWhileOpen(ordered: readonly Postmortem[], byCause: ReadonlyMap<string, readonly Postmortem[]>) {
  const words = (ordered.length + 31) >>> 5;
  const position = new Map(ordered.map((p, i) => [p, i]));
  const dates = ordered.map((p) => p.data.date);
  const finished = ordered.map(finishedOn);
  const declined = ordered.map(declinedOn);
  // Per position: the sets of its causes (in byCause's order) among incidents of its organization.
  const groups: { cause: string; members: Uint32Array }[][] = ordered.map(() => []);
  for (const [cause, incidents] of byCause) {
    for (const same of Map.groupBy(incidents, (p) => p.data.organization).values()) {
      if (same.length < 2) continue;
      const members = new Uint32Array(words);
      for (const p of same) setBit(members, position.get(p)!);
      for (const p of same) groups[position.get(p)!]!.push({ cause, members });
    }
  }
  const byDate = ordered.map((_, i) => i).sort((a, b) => compare(dates[a]!, dates[b]!));
  const byFinish = byDate.filter((i) => finished[i] !== null).sort((a, b) => compare(finished[a]!, finished[b]!));
  const byDecline = byDate.filter((i) => declined[i] !== null).sort((a, b) => compare(declined[a]!, declined[b]!));
  const union = new Uint32Array(words);
  /** The union of the member sets of `at`'s groups, over words [from, to). */
  const unionOf = (at: number, from: number, to: number) => {
    const list = groups[at]!;
    if (list.length === 1) return list[0]!.members;
    union.fill(0, from, to);
    for (const { members } of list) for (let w = from; w < to; w++) union[w]! |= members[w]!;
    return union;
  };

  // Earlier side, by date: `closed` holds the incidents whose remediation was finished by then,
  // `declinedBy` those with an item declined by then.
  const whileOpen = new Map<string, WhileOpen[]>();
  const whileOpenCount = new Map<string, number>();
  const afterDeclined = new Map<string, WhileOpen[]>();
  const afterDeclinedCount = new Map<string, number>();
  const closed = new Uint32Array(words);
  const declinedBy = new Uint32Array(words);
  let nextClosed = 0;
  let nextDeclined = 0;
  /** Pairs with the earlier incidents `mask` keeps, into `lists` and `counts`. */
  const earlier = (j: number, mask: (bits: Uint32Array, w: number) => number, lists: Map<string, WhileOpen[]>, counts: Map<string, number>) => {
    const count = countBits(unionOf(j, 0, (j >>> 5) + 1), mask, 0, (j >>> 5) + 1);
    if (count === 0) return;
    counts.set(ordered[j]!.id, count);
    for (const { cause, members } of groups[j]!) {
      const nearest = lastBits(members, mask, j >>> 5, WHILE_OPEN_KEPT).reverse();
      for (const i of nearest) push(lists, ordered[j]!.id, { cause, earlier: ordered[i]!, later: ordered[j]! });
    }
  };
  for (const j of byDate) {
    while (nextClosed < byFinish.length && finished[byFinish[nextClosed]!]! <= dates[j]!) setBit(closed, byFinish[nextClosed++]!);
    while (nextDeclined < byDecline.length && declined[byDecline[nextDeclined]!]! <= dates[j]!) setBit(declinedBy, byDecline[nextDeclined++]!);
    if (groups[j]!.length === 0) continue;
    const below = (w: number) => (w === j >>> 5 ? (1 << (j & 31)) - 1 : -1);
    earlier(j, (bits, w) => bits[w]! & ~closed[w]! & below(w), whileOpen, whileOpenCount);
    if (nextDeclined > 0) earlier(j, (bits, w) => bits[w]! & declinedBy[w]! & below(w), afterDeclined, afterDeclinedCount);
  }

  // Later side, by finish date: `started` holds the incidents dated before it (all of them for
  // an incident whose remediation is unfinished).
  const reopenedBy = new Map<string, WhileOpen[]>();
  const reopenedCount = new Map<string, number>();
  const started = new Uint32Array(words);
  let nextStarted = 0;
  for (const i of [...byFinish, ...byDate.filter((k) => finished[k] === null)]) {
    const until = finished[i]!;
    while (nextStarted < byDate.length && (until === null || dates[byDate[nextStarted]!]! < until)) setBit(started, byDate[nextStarted++]!);
    if (groups[i]!.length === 0) continue;
    const open = (bits: Uint32Array, w: number) => bits[w]! & started[w]! & (w === i >>> 5 ? ~((2 << (i & 31)) - 1) : -1);
    const count = countBits(unionOf(i, i >>> 5, words), open, i >>> 5, words);
    if (count === 0) continue;
    reopenedCount.set(ordered[i]!.id, count);
    for (const { cause, members } of groups[i]!) {
      for (const j of firstBits(members, open, i >>> 5, WHILE_OPEN_KEPT)) push(reopenedBy, ordered[i]!.id, { cause, earlier: ordered[i]!, later: ordered[j]! });
    }
  }
  return { whileOpen, reopenedBy, whileOpenCount, reopenedCount, afterDeclined, afterDeclinedCount };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function setBit(bits: Uint32Array, at: number): void {
  bits[at >>> 5]! |= 1 << (at & 31);
}

/** Bits set in `mask(bits, w)` over words [from, to). */
function countBits(bits: Uint32Array, mask: (bits: Uint32Array, w: number) => number, from: number, to: number): number {
  let n = 0;
  for (let w = from; w < to; w++) n += popcount(mask(bits, w));
  return n;
}

/** Up to `limit` positions set in `mask(bits, w)`, highest first, from word `from` down. */
function lastBits(bits: Uint32Array, mask: (bits: Uint32Array, w: number) => number, from: number, limit: number): number[] {
  const found: number[] = [];
  for (let w = from; w >= 0 && found.length < limit; w--) {
    for (let word = mask(bits, w); word !== 0 && found.length < limit; ) {
      const bit = 31 - Math.clz32(word);
      found.push((w << 5) + bit);
      word &= ~(1 << bit);
    }
  }
  return found;
}

/** Up to `limit` positions set in `mask(bits, w)`, lowest first, from word `from` up. */
function firstBits(bits: Uint32Array, mask: (bits: Uint32Array, w: number) => number, from: number, limit: number): number[] {
  const found: number[] = [];
  for (let w = from; w < bits.length && found.length < limit; w++) {
    for (let word = mask(bits, w); word !== 0 && found.length < limit; word &= word - 1) found.push((w << 5) + 31 - Math.clz32(word & -word));
  }
  return found;
}

function popcount(word: number): number {
  let n = word - ((word >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export interface Recurrence {
  cause: string;
  /** The nearest incidents with the cause that started before this one, oldest first, with how far their remediation had come. */
  earlier: { postmortem: Postmortem; remediation: RemediationAt }[];
  /** How many incidents with the cause started before this one. */
  earlierCount: number;
  /** The nearest incidents with the cause that started after this one, oldest first. */
  later: Postmortem[];
  /** How many incidents with the cause started after this one. */
  laterCount: number;
}

/**
 * For each cause of `postmortem`, the other incidents that share it: how many came before and
 * after, and the `nearest` of each (all by default). A cause's list is in chronological order,
 * so this costs the incidents it returns, not all that share the cause.
 */
export function recurrences(postmortem: Postmortem, links: Links, nearest = Infinity): Recurrence[] {
  const date = postmortem.data.date;
  return postmortem.data.causes.map((cause) => {
    const all = links.byCause.get(cause) ?? [];
    const at = all.indexOf(postmortem);
    const before = all.slice(Math.max(0, at - nearest), at);
    const after = all.slice(at + 1, at + 1 + Math.min(nearest, all.length));
    return {
      cause,
      earlier: before.map((other) => ({ postmortem: other, remediation: remediationAt(other, date) })),
      earlierCount: at,
      later: after,
      laterCount: all.length - at - 1,
    };
  });
}

/** What similarity reads of an incident: plain data, so it can be worked out on another thread. */
export interface SimilarityInput {
  id: string;
  /** Its terms as `aboutTerms` counts them. */
  about: TermCounts;
  /** Incidents it is explicitly related to: never listed as similar too. */
  related: string[];
}

/** Id → up to MAX_SIMILAR `[id, score]` of the most similar incidents, most similar first. */
export type SimilarIds = Map<string, [id: string, score: number][]>;

/** Which incidents `similarIncidents` finds similar ones for, and among which (by index in `incidents`). */
export interface SimilarOptions {
  /** Only for these incidents (default: every one); the weights still come from all of them. */
  only?: Iterable<number>;
  /** Whether incident `j` may be listed as similar to incident `i` (default: any). */
  accept?: (i: number, j: number) => boolean;
  /** The incidents' terms already numbered (by `incidents`' index), with each number's document frequency: `about` is then not read. */
  numbered?: NumberedTerms;
}

/** Terms of incidents as numbers, each incident's with its counts, and how many incidents have each number. */
export interface NumberedTerms {
  documents: readonly { terms: ArrayLike<number>; counts: ArrayLike<number> }[];
  df: ArrayLike<number>;
}

/**
 * Terms as numbers, each incident's as a list of them with counts, and each number's document
 * frequency, in order of first use. Numbered in place in each incident's list of terms (see
 * `TermTable`), without splitting the lists: similarity at 10,000 postmortems took 0.76-0.97 s
 * this way against 0.90-1.17 s through `split` and a Map (docs/profiles.md).
 */
function numberTerms(incidents: readonly SimilarityInput[]): NumberedTerms {
  const table = new TermTable();
  const df: number[] = [];
  const documents = incidents.map(({ about: [list, counts] }) => {
    const terms: number[] = [];
    // An incident with no terms has an empty list, which `each` would read as one empty term.
    if (counts.length) {
      table.each(list, (id) => {
        terms.push(id);
        if (id === df.length) df.push(1);
        else df[id]!++;
      });
    }
    return { terms, counts };
  });
  return { documents, df };
}

/** What `similarIncidents` needs of `postmortems`, in chronological order. */
export function similarityInput(postmortems: readonly Postmortem[]): SimilarityInput[] {
  const { ordered, related } = explicitLinks(postmortems);
  return inputOf(ordered, related);
}

/** `ordered` (chronological) as similarity reads it, with its explicit links by id. */
function inputOf(ordered: readonly Postmortem[], related: ReadonlyMap<string, readonly Postmortem[]>): SimilarityInput[] {
  return ordered.map((p) => ({ id: p.id, about: p.terms?.about ?? aboutTerms(p), related: (related.get(p.id) ?? []).map((other) => other.id) }));
}

/**
 * TF-IDF vectors (log-scaled term frequency) compared by cosine, computed through an inverted
 * index so that only incidents sharing a word are ever compared. In a large knowledge base the
 * commonest words (in more than 1 in 50 incidents, and more than 100) are left out: they weigh
 * little in the cosine and would make the work grow with the square of the number of incidents.
 * Past LARGE incidents, each incident is compared through its TOP_TERMS heaviest words only, and
 * words shared by more than 100 incidents are left out: the strongest matches stay, at a cost
 * that grows linearly. `incidents` are in chronological order, which breaks ties in score.
 */
export function similarIncidents(incidents: readonly SimilarityInput[], { only, accept, numbered }: SimilarOptions = {}): SimilarIds {
  const n = incidents.length;
  const { documents, df } = numbered ?? numberTerms(incidents);
  const large = n > LARGE;
  const maxDf = large ? 100 : Math.max(100, Math.ceil(n / 50));
  const idf = Array.from(df, (frequency) => Math.log(1 + n / frequency));
  const vectorOf = ({ terms, counts }: (typeof documents)[number]) => {
    const weights = Array.from(terms, (term, k) => (1 + Math.log(counts[k]!)) * idf[term]!);
    const norm = Math.sqrt(weights.reduce((sum, weight) => sum + weight * weight, 0)) || 1;
    for (let k = 0; k < weights.length; k++) weights[k]! /= norm;
    return { terms, weights };
  };
  /** The positions in `vector` of the terms an incident is compared through. */
  const comparedThrough = ({ weights }: ReturnType<typeof vectorOf>) => {
    const order = weights.map((_, k) => k);
    return large ? order.sort((a, b) => weights[b]! - weights[a]!).slice(0, TOP_TERMS) : order;
  };
  // For `only` some incidents, the others need only their weights of the words those are
  // compared through (`wanted`).
  const queries = only === undefined ? undefined : [...only];
  let wanted: Uint8Array | undefined;
  const queried = new Uint8Array(n);
  if (queries) {
    wanted = new Uint8Array(df.length);
    for (const i of queries) {
      queried[i] = 1;
      const vector = vectorOf(documents[i]!);
      for (const k of comparedThrough(vector)) if (df[vector.terms[k]!]! <= maxDf) wanted[vector.terms[k]!] = 1;
    }
  }
  // Per term: the incidents that have it, and its normalized weight in each.
  const postings = Array.from(df, () => ({ incidents: [] as number[], weights: [] as number[] }));
  const vectors = documents.map((document, i) => {
    if (wanted && queried[i] === 0) {
      // As vectorOf computes them, without keeping them.
      const { terms, counts } = document;
      let sum = 0;
      for (let k = 0; k < terms.length; k++) {
        const weight = (1 + Math.log(counts[k]!)) * idf[terms[k]!]!;
        sum += weight * weight;
      }
      const norm = Math.sqrt(sum) || 1;
      for (let k = 0; k < terms.length; k++) {
        const term = terms[k]!;
        if (wanted[term] === 1) {
          postings[term]!.incidents.push(i);
          postings[term]!.weights.push(((1 + Math.log(counts[k]!)) * idf[term]!) / norm);
        }
      }
      return undefined;
    }
    const vector = vectorOf(document);
    for (let k = 0; k < vector.terms.length; k++) {
      const term = vector.terms[k]!;
      if (df[term]! <= maxDf) {
        postings[term]!.incidents.push(i);
        postings[term]!.weights.push(vector.weights[k]!);
      }
    }
    return vector;
  });

  const result: SimilarIds = new Map();
  // Scores by incident index, and which indexes this incident touched: reset after each.
  const scores = new Float64Array(n);
  const touched: number[] = [];
  for (const i of queries ?? incidents.keys()) {
    const incident = incidents[i]!;
    const { terms, weights } = vectors[i]!;
    for (const k of comparedThrough(vectors[i]!)) {
      const weight = weights[k]!;
      const { incidents: having, weights: others } = postings[terms[k]!]!;
      for (let m = 0; m < having.length; m++) {
        const j = having[m]!;
        if (j === i) continue;
        if (scores[j] === 0) touched.push(j);
        scores[j]! += weight * others[m]!;
      }
    }
    const explicit = new Set(incident.related);
    const scored: { at: number; score: number }[] = [];
    for (const j of touched) {
      const score = scores[j]!;
      if (score >= SIMILARITY_THRESHOLD && !explicit.has(incidents[j]!.id) && (!accept || accept(i, j))) scored.push({ at: j, score });
      scores[j] = 0;
    }
    touched.length = 0;
    // Equal scores: the earlier incident first.
    scored.sort((a, b) => b.score - a.score || a.at - b.at);
    if (scored.length) result.set(incident.id, scored.slice(0, MAX_SIMILAR).map(({ at, score }) => [incidents[at]!.id, score]));
  }
  return result;
}
