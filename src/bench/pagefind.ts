/**
 * The Pagefind peer: indexes the incident pages of Hindsight's own built site (timed, with
 * peak memory), then writes a small search page beside them, `pagefind-bench/`, that runs
 * the query through Pagefind's JavaScript API and lists the first five results as Pagefind's
 * own UI would first show them, in `[data-results] li`, like Hindsight's search page.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { measure, type Measured } from './measure.ts';
import { PACKAGE_ROOT } from './hindsight.ts';
import { folderSize, type FolderSize } from './sizes.ts';

export const PAGEFIND_GLOB = 'incidents/*/index.html';
export const PAGEFIND_BENCH_PAGE = '/pagefind-bench/';

export interface PagefindResult {
  index: Measured;
  output: FolderSize;
}

export async function runPagefind(site: string): Promise<PagefindResult> {
  const bin = path.join(PACKAGE_ROOT, 'node_modules/pagefind/lib/runner/bin.cjs');
  const index = await measure(process.execPath, [bin, '--site', site, '--glob', PAGEFIND_GLOB], { cwd: PACKAGE_ROOT });
  await writeBenchPage(site);
  return { index, output: await folderSize(path.join(site, 'pagefind')) };
}

const BENCH_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pagefind search (bench)</title>
</head>
<body>
<main>
<h1>Search</h1>
<p data-status>Searching…</p>
<ul data-results></ul>
</main>
<script type="module">
  const query = new URLSearchParams(location.search).get('q') ?? '';
  const pagefind = await import('/pagefind/pagefind.js');
  const search = await pagefind.search(query);
  const shown = await Promise.all(search.results.slice(0, 5).map((result) => result.data()));
  document.querySelector('[data-results]').replaceChildren(...shown.map((data) => {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = data.url;
    link.textContent = data.meta?.title ?? data.url;
    const excerpt = document.createElement('p');
    excerpt.innerHTML = data.excerpt;
    item.append(link, excerpt);
    return item;
  }));
  document.querySelector('[data-status]').textContent = search.results.length + ' results for “' + query + '”.';
</script>
</body>
</html>
`;

async function writeBenchPage(site: string): Promise<void> {
  const dir = path.join(site, PAGEFIND_BENCH_PAGE);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'index.html'), BENCH_PAGE);
}
