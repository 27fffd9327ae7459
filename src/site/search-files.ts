/**
 * Writes the sharded search index (see ../search-index.ts) into the built site, from an Astro
 * integration, so `hindsight build` and a plain `astro build` both produce it. The term shards,
 * most of the work, are built on a worker thread while Astro bundles and renders the pages.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { searchFileTexts, searchRows, type SearchFileTexts } from '../search-index.ts';
import { startBackground } from './background.ts';
import { handedBackground, handedPreviousOutput, keepSearchFiles, published } from './data.ts';

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

export function searchFiles(): AstroIntegration {
  let shards: Promise<SearchFileTexts> | undefined;
  return {
    name: 'hindsight-search',
    hooks: {
      'astro:build:start': () => {
        // Started by `hindsight build` with similarity; a plain `astro build` starts its own.
        shards = handedBackground()?.shards ?? published().then(({ kb, incidents }) => startBackground(incidents, kb.catalog, { similarity: false }).shards);
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
