/**
 * The sharded index must rank exactly as one lunr index over the same documents: the browser
 * assembles a partial lunr index from a query's shards, and every query below must give the
 * same hits, in the same order, with the same scores, as the monolithic index.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKnowledgeBase } from '../src/bench/generate.ts';
import type { KnowledgeBase } from '../src/knowledge-base/index.ts';
import { loadKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { buildSearchFiles, lunrIndex, termShards, type SearchFiles } from '../src/search/index-files.ts';
import { assemble, search, shardsFor } from '../src/search/query.ts';
import { words, type DocumentTerms } from '../src/search/terms.ts';

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

const sharded = (query: string) => search(assemble(shardsFor(query, files.manifest.shards).map((n) => files.shards[n]!), query, files.manifest), query);

describe('the sharded search index', () => {
  it('is split into many small shards', () => {
    expect(files.manifest.documents).toBe(400);
    expect(files.shards.length).toBeGreaterThan(50);
    const sizes = files.shards.map((s) => JSON.stringify(s).length).sort((a, b) => a - b);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThan(20_000);
  });

  it('is the same from the terms counted at parse time as from the text', () => {
    expect(kb.postmortems.every((p) => p.terms)).toBe(true);
    expect(buildSearchFiles(kb.postmortems.map(({ terms: _, ...p }) => p), kb.catalog)).toEqual(files);
  });

  it('changes, after an edit of one incident, only the shards of its terms', () => {
    const documents = kb.postmortems.map((p) => p.terms!.search);
    const byPrefix = (built: ReturnType<typeof termShards>) => new Map(built.manifest.shards.map((prefix, n) => [prefix, JSON.stringify(built.shards[n])]));
    const before = byPrefix(termShards(documents));
    // Incident 120 gets a longer body: words it already had, once more each, and one new word.
    const edited = documents[120]!;
    const [terms, counts] = edited.body;
    const longer: DocumentTerms = { ...edited, body: [`${terms} zyzzyvaword`, [...counts.map((c) => c + 1), 1]] };
    const after = byPrefix(termShards(documents.map((d, n) => (n === 120 ? longer : d))));
    const itsTerms = Object.values(longer).flatMap(([list]) => list.split(' '));
    const changed = [...after].filter(([prefix, text]) => before.get(prefix) !== text).map(([prefix]) => prefix);
    expect(changed.length).toBeGreaterThan(0);
    // Every changed shard holds a term of the edited incident; the other shards are as they were.
    for (const prefix of changed) expect(itsTerms.some((term) => JSON.parse(after.get(prefix)!).terms.some(([t]: [string]) => t === term)), prefix).toBe(true);
    expect(changed.length).toBeLessThanOrEqual(new Set(itsTerms).size);
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
    let compared = 0;
    for (const query of queries) {
      const expected = search(whole, query);
      const actual = sharded(query);
      expect(actual.map((h) => h.ref), query).toEqual(expected.map((h) => h.ref));
      actual.forEach((hit, i) => {
        expect(hit.score, query).toBeCloseTo(expected[i]!.score, 12);
        expect(hit.matched).toBe(expected[i]!.matched);
        expect(hit.terms.sort()).toEqual(expected[i]!.terms.sort());
      });
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(5000);
  });
});
