/**
 * The sharded index must rank exactly as one lunr index over the same documents: the browser
 * assembles a partial lunr index from a query's shards, and every query below must give the
 * same hits, in the same order, with the same scores, as the monolithic index, with shards of
 * the site's sizes and with shards so small that a prefix spans many of them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKnowledgeBase } from '../src/bench/generate.ts';
import type { KnowledgeBase } from '../src/knowledge-base/index.ts';
import { loadKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { buildSearchFiles, lunrIndex, ROWS_PER_FILE, searchFileTexts, SHARD_SIZES, termShards, type SearchFiles, type ShardSizes } from '../src/search/index-files.ts';
import { assemble, search, shardName, shardsFor } from '../src/search/query.ts';
import { words, type DocumentTerms } from '../src/search/terms.ts';
import { unpackSearchTerms } from '../src/knowledge-base/search-terms.ts';

let dir: string;
let kb: KnowledgeBase;
let files: SearchFiles;
let whole: ReturnType<typeof lunrIndex>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hindsight-shards-'));
  await writeKnowledgeBase(dir, { count: 400, seed: 11 });
  // As the site loads it: each postmortem with the terms counted when it was parsed.
  kb = await loadKnowledgeBase(dir, { cwd: dir, html: true });
  files = buildSearchFiles(kb.postmortems, kb.catalog);
  whole = lunrIndex(kb.postmortems, kb.catalog);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const sharded = (built: Pick<SearchFiles, 'manifest' | 'shards'>, query: string) => search(assemble(shardsFor(query, built.manifest.shards).map((n) => built.shards[n]!), query, built.manifest), query);

/** Tiny shards: a prefix of three letters spans several. */
const TINY: ShardSizes = { min: 200, spread: 400, max: 1000 };

/** Each shard's text by its name (the hash of its first term). */
const byName = (built: Pick<SearchFiles, 'shards'>) => new Map(built.shards.map((shard) => [shardName(shard.terms[0]![0]), JSON.stringify(shard)]));

/**
 * After an edit of one incident, whose terms are now `itsTerms`: the shards whose bytes changed or
 * that are new, each in a run of consecutive changed shards of which one holds a term of the
 * edited incident (a shard's end may move with a term of it, and the next shards' with it, until
 * they meet an end the edit did not move).
 */
function changedShards(before: Pick<SearchFiles, 'shards'>, after: Pick<SearchFiles, 'shards'>, itsTerms: readonly string[]): number[] {
  const old = byName(before);
  const terms = new Set(itsTerms);
  const changed = after.shards.flatMap((shard, n) => (old.get(shardName(shard.terms[0]![0])) === JSON.stringify(shard) ? [] : [n]));
  for (let i = 0; i < changed.length; ) {
    let j = i;
    while (j + 1 < changed.length && changed[j + 1] === changed[j]! + 1) j++;
    const run = changed.slice(i, j + 1);
    expect(run.some((n) => after.shards[n]!.terms.some(([t]) => terms.has(t))), `shards ${run.join(', ')}`).toBe(true);
    i = j + 1;
  }
  return changed;
}

describe('the sharded search index', () => {
  it('is cut into shards of consecutive terms, named by their first, listed in the manifest', () => {
    expect(files.manifest.documents).toBe(400);
    expect(files.shards.length).toBeGreaterThan(50);
    const sizes = files.shards.map((s) => JSON.stringify(s).length).sort((a, b) => a - b);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThan(20_000);
    // No shard is larger than the largest size, but a lone term; the brackets around are not counted.
    for (const shard of files.shards) if (shard.terms.length > 1) expect(JSON.stringify(shard).length).toBeLessThanOrEqual(SHARD_SIZES.max + '{"terms":[]}'.length);
    expect(files.manifest.shards).toEqual(files.shards.map((s) => s.terms[0]![0]));
    const all = files.shards.flatMap((s) => s.terms.map(([t]) => t));
    expect(all.every((t, i) => i === 0 || all[i - 1]! < t)).toBe(true);
    const texts = new Map(searchFileTexts(files).map(([file, text]) => [file.split(path.sep).join('/'), text]));
    expect(new Set(files.manifest.shards.map(shardName)).size).toBe(files.shards.length);
    files.manifest.shards.forEach((first, n) => expect(texts.get(`search/terms/${shardName(first)}.json`)).toBe(JSON.stringify(files.shards[n])));
  });

  it('writes the result rows a few to a file', () => {
    expect(files.manifest.rowsPerFile).toBe(ROWS_PER_FILE);
    const rows = [...searchFileTexts(files)].filter(([file]) => file.split(path.sep).join('/').startsWith('search/docs/'));
    expect(rows).toHaveLength(Math.ceil(400 / ROWS_PER_FILE));
    for (const [file, text] of rows) {
      const n = Number(path.basename(file, '.json'));
      expect(JSON.parse(text)).toEqual(files.documents.slice(n * ROWS_PER_FILE, (n + 1) * ROWS_PER_FILE));
    }
  });

  it('is the same from the terms counted at parse time as from the text', () => {
    expect(kb.postmortems.every((p) => p.terms)).toBe(true);
    expect(buildSearchFiles(kb.postmortems.map(({ terms: _, ...p }) => p), kb.catalog)).toEqual(files);
  });

  it('changes, after an edit of one incident, only the shards of its terms', () => {
    const documents = kb.postmortems.map((p) => unpackSearchTerms(p.terms!.search));
    const before = termShards(documents);
    // Incident 120 gets a longer body: words it already had, once more each, and one new word.
    const edited = documents[120]!;
    const [terms, counts] = edited.body;
    const longer: DocumentTerms = { ...edited, body: [`${terms} zyzzyvaword`, [...counts.map((c) => c + 1), 1]] };
    const after = termShards(documents.map((d, n) => (n === 120 ? longer : d)));
    const itsTerms = Object.values(longer).flatMap(([list]) => list.split(' '));
    const changed = changedShards(before, after, itsTerms);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThanOrEqual(new Set(itsTerms).size);
    // The other shards are as they were, under the same names.
    const old = byName(before);
    after.shards.forEach((shard, n) => changed.includes(n) || expect(old.get(shardName(shard.terms[0]![0]))).toBe(JSON.stringify(shard)));
  });

  it('keeps the shards away from an edit as they were, even one that adds terms everywhere', () => {
    for (const sizes of [SHARD_SIZES, TINY]) {
      const documents = kb.postmortems.map((p) => unpackSearchTerms(p.terms!.search));
      const before = termShards(documents, sizes);
      // Incident 120 gets 120 new words, spread over the whole range of terms, and loses its summary.
      const edited = documents[120]!;
      const all = before.shards.flatMap((s) => s.terms.map(([t]) => t));
      const added = Array.from({ length: 120 }, (_, i) => `${all[Math.floor((i * all.length) / 120)]}zq`);
      const [terms, counts] = edited.body;
      const changedDocument: DocumentTerms = { ...edited, summary: ['', []], body: [`${terms} ${added.join(' ')}`, [...counts, ...added.map(() => 2)]] };
      const after = termShards(documents.map((d, n) => (n === 120 ? changedDocument : d)), sizes);
      const changed = changedShards(before, after, [...Object.values(edited), ...Object.values(changedDocument)].flatMap(([list]) => (list ? list.split(' ') : [])));
      // Shards without a term of the incident, and not beside one, stayed; with tiny shards, most.
      if (sizes === TINY) expect(changed.length).toBeLessThan(0.5 * after.shards.length);
    }
  });

  it('finds the shards of a term and those of a prefix, which may span several', () => {
    const firsts = ['ab', 'cat', 'conf', 'confi', 'config', 'cong', 'd'];
    expect(shardsFor('confirm', firsts)).toEqual([4]); // the stem and the prefix "confirm", both from "config" on
    expect(shardsFor('confi', firsts)).toEqual([3, 4]);
    expect(shardsFor('co', firsts)).toEqual([1]); // too short for a prefix
    expect(shardsFor('con', firsts)).toEqual([1, 2, 3, 4, 5]);
    expect(shardsFor('aaa', firsts)).toEqual([]); // before every term
    expect(shardsFor('cat', ['catalog', 'd'])).toEqual([0]); // before every term, but a prefix of the first
    expect(shardsFor('zebra', firsts)).toEqual([6]);
  });

  it('ranks every query as the monolithic lunr index does', () => {
    // Words from titles, summaries and bodies, rare and common, short and long, and prefixes.
    const vocabulary = [...new Set(kb.postmortems.slice(0, 40).flatMap((p) => words(`${p.data.title} ${p.data.summary} ${p.sections[1]?.text ?? ''}`).map((w) => w.word)))];
    const queries = [
      ...vocabulary.slice(0, 120),
      ...vocabulary.slice(0, 60).map((w, i) => `${w} ${vocabulary[(i * 7 + 3) % vocabulary.length]}`),
      ...vocabulary.slice(0, 40).map((w) => w.slice(0, 3)),
      ...vocabulary.slice(0, 20).map((w, i) => `${w.slice(0, 4)} ${vocabulary[i + 50]} ${vocabulary[i + 90]}`),
      'cause', 'service', 'the outage', 'ka', 'zzzz', '2016', 'sev2',
    ];
    const tiny = buildSearchFiles(kb.postmortems, kb.catalog, TINY);
    expect(tiny.shards.length).toBeGreaterThan(10 * files.shards.length);
    let compared = 0;
    let spanning = 0;
    for (const query of queries) {
      const expected = search(whole, query);
      for (const built of [files, tiny]) {
        const actual = sharded(built, query);
        expect(actual.map((h) => h.ref), query).toEqual(expected.map((h) => h.ref));
        actual.forEach((hit, i) => {
          expect(hit.score, query).toBeCloseTo(expected[i]!.score, 12);
          expect(hit.matched).toBe(expected[i]!.matched);
          expect(hit.terms.sort()).toEqual(expected[i]!.terms.sort());
        });
      }
      if (shardsFor(query, tiny.manifest.shards).length > query.split(' ').length) spanning++;
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(5000);
    expect(spanning).toBeGreaterThan(20);
  });
});
