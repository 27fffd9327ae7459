/**
 * `npm run bench`: Hindsight against a bare Astro build and Pagefind, at knowledge-base sizes
 * 1,000 and 10,000 by default, writing docs/benchmarks.json and docs/benchmarks.md.
 *
 *   node src/bench/run.ts [--sizes 1000,10000] [--out docs]
 *
 * Progress goes to stderr. The generated content, the outputs and a screenshot of each
 * search page stay under os.tmpdir()/hindsight-bench/ for a look afterwards.
 */
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launch } from '../tools/chromium.ts';
import { measureSearch } from './browser-search.ts';
import { benchDirs, generateCorpus, pickQuery } from './corpus.ts';
import { BUILD_DATE, PACKAGE_ROOT, runHindsight, type HindsightRound } from './hindsight.ts';
import { describeMachine } from './machine.ts';
import { PEAK_MEMORY_METHOD, summarize, type Measured } from './measure.ts';
import { PAGEFIND_BENCH_PAGE, runPagefind } from './pagefind.ts';
import { runAstroPeer, type AstroPeerResult } from './peer-astro.ts';
import { TARGET_SIZE, writeReport, type BenchResults, type SizeResult } from './report.ts';
import { folderSize } from './sizes.ts';

const SEARCH_RUNS = 3;
/** Rounds of the builds and validations: the noise of a shared machine is larger than many differences measured. */
const ROUNDS = 3;

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000' }, out: { type: 'string', default: 'docs' } } });
const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes takes whole numbers separated by commas, not ${values.sizes}`);
const outDir = path.resolve(PACKAGE_ROOT, values.out);

const started = performance.now();
const log = (size: number, text: string) => {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0).padStart(5);
  process.stderr.write(`[bench ${elapsed} s] ${size.toLocaleString('en-US')}: ${text}\n`);
};
const figures = (m: Measured) => `${m.seconds.toFixed(2)} s, ${Math.round(m.peakMB)} MB`;

const browser = await launch();
const results: BenchResults = {
  date: new Date().toISOString(),
  command: `npm run bench -- --sizes ${sizes.join(',')}`,
  machine: await describeMachine(browser.version()),
  method: {
    peakMemory: PEAK_MEMORY_METHOD,
    buildDate: BUILD_DATE,
    seed: 1,
    searchRuns: SEARCH_RUNS,
    rounds: ROUNDS,
    searchBytes: 'response bodies on the wire (gzip for html, css, js, json, svg, xml), without the page’s own HTML, CSS and icon',
    firstResult: 'performance.now() in the page when the first [data-results] li exists (MutationObserver from an init script)',
  },
  sizes: [],
};

try {
  for (const size of sizes) {
    const dirs = benchDirs(size);
    const loadAverage = os.loadavg().map((n) => Math.round(n * 100) / 100);
    log(size, `generating into ${dirs.content}`);
    const content = await generateCorpus(size, dirs.content);
    await mkdir(dirs.work, { recursive: true });
    const query = await pickQuery(dirs.content);
    log(size, `${content.files} files; query “${query.text}”`);

    const peers: AstroPeerResult[] = [];
    const rounds: HindsightRound[] = [];
    // Above the target size (the growth run, not in CI) one round: a 30,000 round takes minutes.
    const rounds_ = size > TARGET_SIZE ? 1 : ROUNDS;
    for (let round = 1; round <= rounds_; round++) {
      log(size, `round ${round} of ${rounds_}: bare Astro build…`);
      peers.push(await runAstroPeer(path.join(dirs.content, 'postmortems'), dirs.astro));
      log(size, `bare Astro build: ${figures(peers.at(-1)!.build)}, ${peers.at(-1)!.output.files} files`);
      log(size, `round ${round} of ${rounds_}: Hindsight validate cold and warm, build after validate, full build, rebuilds after an edit and a rename, the next version's build…`);
      rounds.push(await runHindsight(dirs, (step, m) => log(size, `Hindsight ${step}: ${figures(m)}`)));
    }
    const astro = { build: summarize(peers.map((peer) => peer.build)), output: peers.at(-1)!.output };
    const of = (key: 'validateCold' | 'validateWarm' | 'buildAfterValidate' | 'fullBuild' | 'rebuildAfterEdit' | 'rebuildAfterRename' | 'rebuildAfterSecondEdit' | 'buildAfterUpgrade') => summarize(rounds.map((r) => r[key]));
    const hindsight = {
      validateCold: of('validateCold'),
      validateWarm: of('validateWarm'),
      buildAfterValidate: of('buildAfterValidate'),
      fullBuild: of('fullBuild'),
      rebuildAfterEdit: { ...of('rebuildAfterEdit'), edited: rounds[0]!.edited },
      rebuildAfterRename: { ...of('rebuildAfterRename'), renamed: rounds[0]!.renamed },
      rebuildAfterSecondEdit: of('rebuildAfterSecondEdit'),
      buildAfterUpgrade: of('buildAfterUpgrade'),
    };
    const hindsightOutput = await folderSize(dirs.out);

    const q = encodeURIComponent(query.text);
    log(size, `Hindsight search in Chromium (${SEARCH_RUNS} runs)…`);
    const hindsightSearch = await measureSearch(browser, dirs.out, { page: `/search/?q=${q}`, runs: SEARCH_RUNS, screenshot: path.join(dirs.work, 'search-hindsight.png') });
    log(size, `Hindsight search: ${Math.round(hindsightSearch.firstResultMs)} ms, ${hindsightSearch.bytes} bytes, ${hindsightSearch.results} results`);

    log(size, 'Pagefind index…');
    const pagefind = await runPagefind(dirs.out);
    log(size, `Pagefind index: ${figures(pagefind.index)}`);
    const pagefindSearch = await measureSearch(browser, dirs.out, { page: `${PAGEFIND_BENCH_PAGE}?q=${q}`, runs: SEARCH_RUNS, screenshot: path.join(dirs.work, 'search-pagefind.png') });
    log(size, `Pagefind search: ${Math.round(pagefindSearch.firstResultMs)} ms, ${pagefindSearch.bytes} bytes, ${pagefindSearch.results} results`);

    const result: SizeResult = {
      postmortems: size,
      loadAverage,
      content,
      query,
      hindsight: { ...hindsight, output: hindsightOutput, search: hindsightSearch },
      astro,
      pagefind: { ...pagefind, search: pagefindSearch },
    };
    results.sizes.push(result);
    // Written after every size, so a long run that fails later still leaves its figures.
    const written = await writeReport(results, outDir);
    log(size, `done; wrote ${path.relative(PACKAGE_ROOT, written.markdown)} and ${path.relative(PACKAGE_ROOT, written.json)}`);
  }
} finally {
  await browser.close();
}
