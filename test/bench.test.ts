/**
 * The benchmark harness's own parts, fast (the full `npm run bench` is not run here): the
 * query and the one-sentence edit, the gzip option of the static server, and the report.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchMeasurement } from '../src/bench/browser-search.ts';
import { EDIT_SENTENCE, editOnePostmortem, pickQuery, postmortemFiles } from '../src/bench/corpus.ts';
import { writeKnowledgeBase } from '../src/bench/generate.ts';
import { renderMarkdown, targets, type BenchResults, type SizeResult } from '../src/bench/report.ts';
import { summarize } from '../src/bench/measure.ts';
import { loadKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { serve } from '../src/site/static-server.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hindsight-bench-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the bench corpus', () => {
  it('picks the same two mid-frequency title words every time, and edits one sentence into a still-valid postmortem', async () => {
    const content = path.join(dir, 'kb');
    await writeKnowledgeBase(content, { count: 30, seed: 1 });
    const query = await pickQuery(content);
    expect(await pickQuery(content)).toEqual(query);
    expect(query.words).toHaveLength(2);
    expect(query.text).toBe(query.words.map((w) => w.word).join(' '));
    const title = /^title: (.*)$/m.exec(await readFile(path.join(content, query.from), 'utf8'))![1]!;
    for (const { word, documents } of query.words) {
      expect(title.toLowerCase().split(' ')).toContain(word);
      expect(documents).toBeGreaterThanOrEqual(2);
    }

    const edited = await editOnePostmortem(content);
    expect(edited).toBe((await postmortemFiles(content))[0]);
    const text = await readFile(path.join(content, edited), 'utf8');
    const rootCause = text.slice(text.indexOf('## Root cause'));
    expect(rootCause.split('\n\n')[1]).toMatch(new RegExp(`\\. ${EDIT_SENTENCE.replace(/\./g, '\\.')}$`));
    const kb = await loadKnowledgeBase(content, { cwd: content });
    expect(kb.diagnostics).toEqual([]);
  });
});

describe('the static server with gzip', () => {
  it('compresses text for a client that accepts gzip, leaves other files as they are, and logs the bytes sent', async () => {
    const site = path.join(dir, 'site');
    await mkdir(path.join(site, 'pagefind'), { recursive: true });
    const json = JSON.stringify({ words: Array.from({ length: 500 }, (_, i) => `word${i % 7}`) });
    await writeFile(path.join(site, 'index.json'), json);
    await writeFile(path.join(site, 'pagefind', 'en_1.pf_index'), Buffer.alloc(2000, 7));
    const server = await serve(site, { gzip: true });
    try {
      const compressed = await fetch(`${server.url}/index.json`, { headers: { 'accept-encoding': 'gzip' } });
      expect(compressed.headers.get('content-encoding')).toBe('gzip');
      const body = Buffer.from(await compressed.arrayBuffer());
      // fetch decodes gzip itself; what the server logged is the smaller body it sent.
      expect(body.toString()).toBe(json);
      const binary = await fetch(`${server.url}/pagefind/en_1.pf_index`, { headers: { 'accept-encoding': 'gzip' } });
      expect(binary.headers.get('content-encoding')).toBeNull();
      expect((await binary.arrayBuffer()).byteLength).toBe(2000);
      const [first, second] = server.requests;
      expect(first).toMatchObject({ path: '/index.json', status: 200, encoding: 'gzip' });
      expect(first!.bytes).toBeLessThan(json.length / 5);
      expect(second).toMatchObject({ path: '/pagefind/en_1.pf_index', encoding: 'identity', bytes: 2000 });
    } finally {
      await server.close();
    }
    const plain = await serve(site);
    try {
      const response = await fetch(`${plain.url}/index.json`, { headers: { 'accept-encoding': 'gzip' } });
      expect(response.headers.get('content-encoding')).toBeNull();
      expect(plain.requests[0]).toMatchObject({ encoding: 'identity', bytes: json.length });
    } finally {
      await plain.close();
    }
  });
});

describe('the bench report', () => {
  const measured = (seconds: number, peakMB = 300) => ({ seconds, peakMB, runs: [{ seconds, peakMB }] });
  const search = (firstResultMs: number, bytes: number): SearchMeasurement => ({
    url: '/search/?q=a%20b',
    firstResultMs,
    bytes,
    results: 5,
    status: '5 results',
    runs: [{ firstResultMs, bytes, results: 5, status: '5 results', requests: [{ path: '/x.json', status: 200, type: 'application/json', encoding: 'gzip', bytes, counted: true }] }],
  });
  const size = (postmortems: number, build: number): SizeResult => ({
    postmortems,
    loadAverage: [0.5, 0.4, 0.3],
    content: { files: postmortems + 3, bytes: postmortems * 4000 },
    query: { text: 'kalo mize', words: [{ word: 'kalo', documents: 9 }, { word: 'mize', documents: 12 }], from: 'postmortems/2020/x.md', rule: 'fixed' },
    hindsight: {
      validateCold: measured(4),
      validateWarm: measured(0.5),
      buildAfterValidate: measured(build, 1400),
      fullBuild: measured(build, 1500),
      rebuildAfterEdit: { ...measured(build / 10, 2100), edited: 'postmortems/2016/a.md' },
      rebuildAfterRename: { ...measured(build / 5, 1200), renamed: 'postmortems/2025/z.md' },
      rebuildAfterSecondEdit: measured(build / 12, 1100),
      buildAfterUpgrade: measured(build, 1300),
      output: { files: 2000, bytes: 5e7 },
      search: search(300, 90_000),
    },
    astro: { build: measured(60), output: { files: postmortems, bytes: 4e6 } },
    pagefind: { index: measured(3, 100), output: { files: 300, bytes: 3e6 }, search: search(400, 120_000) },
  });
  const results = (sizes: SizeResult[]): BenchResults => ({
    date: '2026-11-22T10:00:00.000Z',
    command: 'npm run bench',
    machine: { cpu: 'Test CPU', cores: 2, ramGiB: 24, os: 'Debian', node: 'v22.23.3', chromium: '156', astro: '7.3.5', pagefind: '1.6.0' },
    method: { peakMemory: 'GNU time', buildDate: '2026-11-22', seed: 1, searchRuns: 3, rounds: 3 },
    sizes,
  });

  it('sums up rounds by the median time and the largest peak memory', () => {
    const runs = [measured(9, 100), measured(5, 700), measured(7, 300)].map(({ seconds, peakMB }) => ({ seconds, peakMB }));
    expect(summarize(runs)).toEqual({ seconds: 7, peakMB: 700, runs });
    expect(summarize(runs.slice(0, 2)).seconds).toBe(7);
  });

  it('judges each target, met or not', () => {
    const verdicts = Object.fromEntries(targets(size(10_000, 50)).map((t) => [t.target, t.met]));
    expect(verdicts).toEqual({
      'Validate cold ≤ 6 s': true,
      'Validate warm ≤ 1 s': true,
      'Full build ≤ 1.0× the bare Astro build, in every round': true,
      'Rebuild after editing one body ≤ 10% of the full build': true,
      'Rebuild after renaming one title ≤ 25% of the full build': true,
      'Peak memory ≤ 1.5 GB, every command (build after validate and after an upgrade included)': false,
      'Output ≤ 20,000 files and ≤ 1 GB, search included': true,
      'Search bytes ≤ Pagefind’s': true,
      'Search time to first results ≤ Pagefind’s': true,
    });
    expect(targets(size(10_000, 61)).find((t) => t.target.startsWith('Full build'))!.met).toBe(false);
    const large = size(10_000, 50);
    large.hindsight.output = { files: 34_363, bytes: 3.5e8 };
    expect(targets(large).find((t) => t.target.startsWith('Output'))).toMatchObject({ measured: '34,363 files · 333.8 MB', met: false });
  });

  it('writes a table per size and the targets at 10,000, or says at which size it judged them instead', () => {
    const both = renderMarkdown(results([size(1000, 10), size(10_000, 50)]));
    expect(both).toContain('## 1,000 postmortems');
    expect(both).toContain('## 10,000 postmortems');
    expect(both).toContain('## Targets at 10,000 postmortems\n');
    expect(both).toContain('| Full build (cold; Astro: one page per postmortem, no validation) | 50.0 s · 1,500 MB | 60.0 s · 300 MB | — |');
    expect(both).toContain('| Peak memory ≤ 1.5 GB, every command (build after validate and after an upgrade included) | 2,100 MB | not met |');
    expect(both).toContain('| Full build ÷ bare Astro, per round | 0.83× | — | — |');
    // One round too slow fails the target, whatever the median.
    const slowRound = size(10_000, 50);
    slowRound.hindsight.fullBuild.runs.push({ seconds: 70, peakMB: 1500 });
    slowRound.astro.build.runs.push({ seconds: 65, peakMB: 300 });
    expect(targets(slowRound).find((t) => t.target.startsWith('Full build'))).toMatchObject({ measured: '0.83×, 1.08×', met: false });
    const grown = renderMarkdown(results([size(10_000, 50), size(30_000, 165)]));
    expect(grown).toContain('| Full build time | 50.0 s | 165.0 s | 1.10 |');
    const small = renderMarkdown(results([size(200, 10)]));
    expect(small).toContain('## Targets at 10,000 postmortems — not measured in this run; judged at 200 instead');
  });
});
