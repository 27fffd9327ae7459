/**
 * Writes the benchmark's results: docs/benchmarks.json with every measurement, and
 * docs/benchmarks.md with how to reproduce them, a table per knowledge-base size (Hindsight
 * beside the bare Astro build and Pagefind) and the targets at 10,000 postmortems, met or not.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SearchMeasurement } from './browser-search.ts';
import type { Query } from './corpus.ts';

import type { Machine } from './machine.ts';
import type { Measured, Repeated } from './measure.ts';
import type { FolderSize } from './sizes.ts';

export interface SizeResult {
  postmortems: number;
  /** The machine's 1-, 5- and 15-minute load averages when this size started. */
  loadAverage: number[];
  content: FolderSize;
  query: Query;
  /** Validation and builds: ROUNDS runs each, interleaved with the bare Astro build's. */
  hindsight: {
    validateCold: Repeated;
    validateWarm: Repeated;
    buildAfterValidate: Repeated;
    fullBuild: Repeated;
    rebuildAfterEdit: Repeated & { edited: string };
    rebuildAfterRename: Repeated & { renamed: string };
    rebuildAfterSecondEdit: Repeated;
    buildAfterUpgrade: Repeated;
    output: FolderSize;
    search: SearchMeasurement;
  };
  astro: { build: Repeated; output: FolderSize };
  pagefind: { index: Measured; output: FolderSize; search: SearchMeasurement };
}

export interface BenchResults {
  date: string;
  command: string;
  machine: Machine;
  method: Record<string, string | number>;
  sizes: SizeResult[];
}

export const TARGET_SIZE = 10_000;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The results with figures rounded to what a reader can use (ms to 0.1, MB to 0.1, s to 0.001). */
function rounded(results: BenchResults): BenchResults {
  return JSON.parse(
    JSON.stringify(results, (key, value) => {
      if (typeof value !== 'number') return value;
      if (key === 'seconds') return round(value, 3);
      if (key === 'peakMB' || key === 'firstResultMs') return round(value, 1);
      return value;
    }),
  ) as BenchResults;
}

const number = (n: number) => n.toLocaleString('en-US');
const seconds = (s: number) => (s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`);
const memory = (mb: number) => `${number(Math.round(mb))} MB`;
const timed = (m: Measured) => `${seconds(m.seconds)} · ${memory(m.peakMB)}`;
const ms = (value: number) => `${number(Math.round(value))} ms`;
function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
const ratio = (hindsight: Measured, astro: Measured | undefined) => (astro ? `${(hindsight.seconds / astro.seconds).toFixed(2)}×` : '—');
const folder = (f: FolderSize) => `${number(f.files)} files · ${bytes(f.bytes)}`;
const searchRequests = (s: SearchMeasurement) => s.runs[0]?.requests.filter((r) => r.counted).length ?? 0;

function sizeTable(size: SizeResult, machine: Machine): string {
  const { hindsight: h, astro: a, pagefind: p } = size;
  const rows: [string, string, string, string][] = [
    ['Validate, cold (empty cache)', timed(h.validateCold), '—', '—'],
    ['Validate, warm (cache kept, files unchanged)', timed(h.validateWarm), '—', '—'],
    ['Build after validate (the cache validate left, as CI runs them)', timed(h.buildAfterValidate), '—', '—'],
    ['Full build (cold; Astro: one page per postmortem, no validation)', timed(h.fullBuild), timed(a.build), '—'],
    ['Full build ÷ bare Astro, per round', h.fullBuild.runs.map((run, i) => ratio(run, a.build.runs[i])).join(', '), '—', '—'],
    ['Rebuild after editing one postmortem’s body', timed(h.rebuildAfterEdit), '—', '—'],
    ['Rebuild after renaming one title', timed(h.rebuildAfterRename), '—', '—'],
    ['Rebuild after editing the same body again (the replaced site brought up to date)', timed(h.rebuildAfterSecondEdit), '—', '—'],
    ['Build by the next version (cache and output of this one)', timed(h.buildAfterUpgrade), '—', '—'],
    ['Search index (Pagefind: incident pages of Hindsight’s site)', 'in the build', '—', timed(p.index)],
    ['Search: time to first results (median of 3)', ms(h.search.firstResultMs), '—', ms(p.search.firstResultMs)],
    ['Search: bytes fetched (gzip; requests)', `${bytes(h.search.bytes)} (${searchRequests(h.search)})`, '—', `${bytes(p.search.bytes)} (${searchRequests(p.search)})`],
    ['Search: results listed (page’s status line)', `${number(h.search.results)} (${h.search.status})`, '—', `${number(p.search.results)} (${p.search.status})`],
    ['Output', folder(h.output), folder(a.output), `${folder(p.output)} (index)`],
  ];
  return [
    `## ${number(size.postmortems)} postmortems`,
    '',
    `Content: ${number(size.content.files)} files, ${bytes(size.content.bytes)}. Query: \`${size.query.text}\` ` +
      `(${size.query.words.map((w) => `“${w.word}” in ${number(w.documents)} postmortems`).join(', ')}; from the title of \`${size.query.from}\`). ` +
      `Rebuild edit: one sentence added to \`${h.rebuildAfterEdit.edited}\` before each rebuild; rename: the title of \`${h.rebuildAfterRename.renamed}\`. Load average when this size started: ${size.loadAverage.map((n) => n.toFixed(2)).join(', ')}.`,
    '',
    `| Measurement | Hindsight | Bare Astro ${machine.astro} | Pagefind ${machine.pagefind} |`,
    '| --- | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ].join('\n');
}

export interface Target {
  target: string;
  measured: string;
  met: boolean;
}

export function targets(size: SizeResult): Target[] {
  const h = size.hindsight;
  const commands = [h.validateCold, h.validateWarm, h.buildAfterValidate, h.fullBuild, h.rebuildAfterEdit, h.rebuildAfterRename, h.rebuildAfterSecondEdit, h.buildAfterUpgrade];
  const peak = Math.max(...commands.map((c) => c.peakMB));
  const edit = h.rebuildAfterEdit.seconds / h.fullBuild.seconds;
  const rename = h.rebuildAfterRename.seconds / h.fullBuild.seconds;
  const rounds = h.fullBuild.runs.map((run, i) => run.seconds / (size.astro.build.runs[i]?.seconds ?? Infinity));
  return [
    { target: 'Validate cold ≤ 6 s', measured: seconds(h.validateCold.seconds), met: h.validateCold.seconds <= 6 },
    { target: 'Validate warm ≤ 1 s', measured: seconds(h.validateWarm.seconds), met: h.validateWarm.seconds <= 1 },
    {
      target: 'Full build ≤ 1.0× the bare Astro build, in every round',
      measured: rounds.map((r) => `${r.toFixed(2)}×`).join(', '),
      met: rounds.every((r) => r <= 1),
    },
    {
      target: 'Rebuild after editing one body ≤ 10% of the full build',
      measured: `${seconds(h.rebuildAfterEdit.seconds)} = ${(edit * 100).toFixed(0)}%`,
      met: edit <= 0.1,
    },
    {
      target: 'Rebuild after renaming one title ≤ 25% of the full build',
      measured: `${seconds(h.rebuildAfterRename.seconds)} = ${(rename * 100).toFixed(0)}%`,
      met: rename <= 0.25,
    },
    { target: 'Peak memory ≤ 1.5 GB, every command (build after validate and after an upgrade included)', measured: memory(peak), met: peak <= 1536 },
    // What a static host takes: Cloudflare Pages, at most 20,000 files a site; GitHub Pages 1 GB.
    { target: 'Output ≤ 20,000 files and ≤ 1 GB, search included', measured: folder(h.output), met: h.output.files <= 20_000 && h.output.bytes <= 1024 ** 3 },
    {
      target: 'Search bytes ≤ Pagefind’s',
      measured: `${bytes(h.search.bytes)} vs ${bytes(size.pagefind.search.bytes)}`,
      met: h.search.bytes <= size.pagefind.search.bytes,
    },
    {
      target: 'Search time to first results ≤ Pagefind’s',
      measured: `${ms(h.search.firstResultMs)} vs ${ms(size.pagefind.search.firstResultMs)}`,
      met: h.search.firstResultMs <= size.pagefind.search.firstResultMs,
    },
  ];
}

/**
 * Growth from 10,000 to a larger size in the run (30,000 with `--sizes 1000,10000,30000`):
 * build time and peak memory per postmortem, larger over 10,000. At most 1 is linear or better.
 */
export function growth(results: BenchResults): { from: SizeResult; to: SizeResult; time: number; memory: number } | undefined {
  const from = results.sizes.find((s) => s.postmortems === TARGET_SIZE);
  const to = results.sizes.filter((s) => s.postmortems > TARGET_SIZE).at(-1);
  if (!from || !to) return undefined;
  const scale = to.postmortems / from.postmortems;
  return { from, to, time: to.hindsight.fullBuild.seconds / from.hindsight.fullBuild.seconds / scale, memory: to.hindsight.fullBuild.peakMB / from.hindsight.fullBuild.peakMB / scale };
}

function growthSection(results: BenchResults): string[] {
  const g = growth(results);
  if (!g) return [];
  const n = (s: SizeResult) => number(s.postmortems);
  return [
    `## Growth from ${n(g.from)} to ${n(g.to)} postmortems`,
    '',
    `The full build at ${n(g.to)} against ${n(g.from)}, each divided by the ${(g.to.postmortems / g.from.postmortems).toFixed(0)}× as many postmortems: at most 1.00 grows no faster than linearly.`,
    '',
    '| Measure | ' + `${n(g.from)} | ${n(g.to)} | ratio per postmortem |`,
    '| --- | ---: | ---: | ---: |',
    `| Full build time | ${seconds(g.from.hindsight.fullBuild.seconds)} | ${seconds(g.to.hindsight.fullBuild.seconds)} | ${g.time.toFixed(2)} |`,
    `| Full build peak memory | ${memory(g.from.hindsight.fullBuild.peakMB)} | ${memory(g.to.hindsight.fullBuild.peakMB)} | ${g.memory.toFixed(2)} |`,
    '',
  ];
}

/** The size the targets are judged at: 10,000 when it was run, else the largest that was. */
export function judgedSize(results: BenchResults): SizeResult | undefined {
  const atTarget = results.sizes.find((s) => s.postmortems === TARGET_SIZE);
  return atTarget ?? results.sizes.reduce<SizeResult | undefined>((best, s) => (!best || s.postmortems > best.postmortems ? s : best), undefined);
}

export function renderMarkdown(results: BenchResults): string {
  const { machine } = results;
  const judged = judgedSize(results);
  const atTarget = judged?.postmortems === TARGET_SIZE;
  const targetHeading = atTarget
    ? `## Targets at ${number(TARGET_SIZE)} postmortems`
    : `## Targets at ${number(TARGET_SIZE)} postmortems — not measured in this run; judged at ${number(judged?.postmortems ?? 0)} instead`;
  return [
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (src/bench/run.ts); every figure comes from that run. -->',
    '',
    `Hindsight measured against its peers on the same synthetic knowledge bases (src/bench/generate.ts, seed ${results.method.seed}), ` +
      `run on ${results.date.slice(0, 10)} with \`${results.command}\`. Reproduce with \`npm run bench\` ` +
      '(sizes 1,000 and 10,000; `-- --sizes 1000` for one size, `-- --out DIR` to write elsewhere); it needs Chromium at /usr/bin/chromium or CHROMIUM_PATH.',
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, ${machine.os}; Node ${machine.node}, Chromium ${machine.chromium}, Astro ${machine.astro}, Pagefind ${machine.pagefind}.`,
    '',
    'What each row means:',
    '',
    '- Every command runs as its own process and is timed wall-clock from start to exit; the figure after it is its peak memory ' +
      `(${results.method.peakMemory}). MB and KB here are binary (2²⁰ and 2¹⁰ bytes).`,
    `- **Rounds**: the builds and validations run ${results.method.rounds} times, in rounds (the bare Astro build, then Hindsight's validate cold, validate warm, build after validate, full build, rebuilds and the next version's build), so a slow spell of a shared machine falls on both; ` +
      'each figure is the median time and the largest peak memory of its runs, all of which are in benchmarks.json.',
    '- **Validate, cold / warm**: `hindsight validate` with `HINDSIGHT_CACHE_DIR` emptied first, then again with the cache kept and no file changed.',
    `- **Full build**: \`hindsight build --today ${results.method.buildDate}\` with no cache and no previous output: validation, every page of the site and its search index. ` +
      'The bare Astro peer builds the same Markdown files with a content collection (glob loader, a schema that accepts anything) into one page per postmortem, from a cold cache.',
    '- **Build after validate**: `hindsight build` right after the two validations, on the cache they left (outcomes, no page data), with no previous output: what CI runs.',
    '- **Rebuild after editing one postmortem’s body**: one sentence appended to the root cause of the first postmortem in path order, then the same build with the cache and previous output kept. ' +
      '**After renaming one title**: the title of the last postmortem in path order gets a suffix, which every page listing it shows, then the same build again. ' +
      '**After editing the same body again**: one more sentence, then the same build: the full build, which has no previous output, leaves beside it a spare of its pages’ folders alone, and the first rebuild links its pages into them; it keeps the site it replaced there, and from the second on a rebuild brings that spare site up to date in place (src/cli/spare-site.ts). ' +
      '“No previous output” removes the output folder and the side folder beside it.',
    '- **Build by the next version**: the package with one comment added to its parser (so every cache salt and code digest differ, as after an upgrade) builds with the cache and output the last build left: it must drop them without reading them in full.',
    '- **Growth** (with a size above 10,000 in `--sizes`, not in CI): that size runs one round only.',
    '- **Search index**: Pagefind run on the incident pages of Hindsight’s own built site (`--glob "incidents/*/index.html"`).',
    `- **Search**: headless Chromium, a fresh browser context (cold cache) per run, the site served with gzip for text as a static host would (Pagefind’s own compressed files as they are); one warm-up, then the median of ${results.method.searchRuns} runs. ` +
      'Time to first results is from navigation start to the first `[data-results] li` in the page. Bytes fetched are the bytes on the wire of every request the search made (bodies, after compression), ' +
      'leaving out the page’s own HTML, CSS and icon; every request is listed in benchmarks.json. Hindsight is its own `/search/?q=…` page; Pagefind is a bench page that calls its JavaScript API ' +
      'and loads the data of the first five results, what its UI shows first.',
    '- **Output**: files and bytes of the built site (Pagefind: its index folder).',
    '',
    ...results.sizes.map((size) => sizeTable(size, machine)),
    targetHeading,
    '',
    '| Target | Measured | Met |',
    '| --- | ---: | --- |',
    ...(judged ? targets(judged).map((t) => `| ${t.target} | ${t.measured} | ${t.met ? 'met' : 'not met'} |`) : []),
    '',
    ...growthSection(results),
    'What the profiles of these builds showed, and what was changed for it, is in [profiles.md](profiles.md).',
    '',
  ].join('\n');
}

export async function writeReport(results: BenchResults, outDir: string): Promise<{ json: string; markdown: string }> {
  await mkdir(outDir, { recursive: true });
  const json = path.join(outDir, 'benchmarks.json');
  const markdown = path.join(outDir, 'benchmarks.md');
  const tidy = rounded(results);
  const judged = judgedSize(tidy);
  const verdicts = judged && { postmortems: judged.postmortems, targets: targets(judged) };
  await writeFile(json, `${JSON.stringify({ ...tidy, targets: verdicts }, null, 2)}\n`);
  await writeFile(markdown, renderMarkdown(tidy));
  return { json, markdown };
}
