/**
 * Writes the sharded search index (see ../search-index.ts) into the built site, from an Astro
 * integration, so `hindsight build` and a plain `astro build` both produce it. The term shards,
 * most of the work, are built on a worker thread while Astro bundles and renders the pages.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import type { Postmortem } from '../postmortem.ts';
import { runOnWorker } from '../run-on-worker.ts';
import { documentTerms, searchRows, type DocumentTerms, type SearchCatalog, type SearchFiles } from '../search-index.ts';
import { handedPreviousOutput, keepSearchFiles, published } from './data.ts';

/** Each search file as its path in the site and its text. */
export type SearchFileTexts = [file: string, text: string][];

export function searchFileTexts({ manifest, shards, documents, facets }: Partial<SearchFiles>): SearchFileTexts {
  return [
    ...(manifest ? [[path.join('search', 'manifest.json'), JSON.stringify(manifest)] as [string, string]] : []),
    ...(facets ? [[path.join('search', 'facets.json'), JSON.stringify(facets)] as [string, string]] : []),
    ...(shards ?? []).map((shard, n): [string, string] => [path.join('search', 'terms', `${n}.json`), JSON.stringify(shard)]),
    ...(documents ?? []).map((document, n): [string, string] => [path.join('search', 'docs', `${n}.json`), JSON.stringify(document)]),
  ];
}

/**
 * Writes the search files into `siteDir`. With `previous` (the output of the last build, which
 * the new one will replace in place), a file whose bytes are already there is not written, and
 * its path is returned: after a small edit most are (every row but the edited one, and about half
 * the term shards).
 */
export function writeSearchFiles(siteDir: string, files: SearchFileTexts, previous?: string): string[] {
  const kept: string[] = [];
  for (const sub of ['terms', 'docs']) mkdirSync(path.join(siteDir, 'search', sub), { recursive: true });
  // Written one after the other, synchronously: for thousands of small files that is several
  // times quicker than many asynchronous writes at once, and nothing else runs meanwhile.
  for (const [name, text] of files) {
    if (previous !== undefined && sameText(path.join(previous, name), text)) kept.push(name);
    else writeFileSync(path.join(siteDir, name), text);
  }
  return kept;
}

function sameText(file: string, text: string): boolean {
  try {
    return readFileSync(file, 'utf8') === text;
  } catch {
    return false;
  }
}

/** The term shards of `incidents`, built on a worker thread from the terms counted as they were parsed. */
function termShardsOnWorker(incidents: readonly Postmortem[], catalog: SearchCatalog): Promise<SearchFileTexts> {
  const terms: DocumentTerms[] = incidents.map((p) => p.terms?.search ?? documentTerms(p, catalog));
  return runOnWorker(new URL('./search-worker.ts', import.meta.url), terms);
}

export function searchFiles(): AstroIntegration {
  let shards: Promise<SearchFileTexts> | undefined;
  return {
    name: 'hindsight-search',
    hooks: {
      'astro:build:start': () => {
        shards = published().then(({ kb, incidents }) => termShardsOnWorker(incidents, kb.catalog));
        shards.catch(() => {}); // awaited, and so reported, when the pages are done
      },
      'astro:build:done': async ({ dir }) => {
        const { incidents } = await published();
        const files = [...(await shards!), ...searchFileTexts(searchRows(incidents))];
        keepSearchFiles(writeSearchFiles(fileURLToPath(dir), files, handedPreviousOutput()));
      },
    },
  };
}
