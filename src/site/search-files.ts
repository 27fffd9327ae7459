/**
 * Writes the sharded search index (see ../search-index.ts) into the built site, from an Astro
 * integration, so `hindsight build` and a plain `astro build` both produce it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { buildSearchFiles, type SearchFiles } from '../search-index.ts';
import { handedPreviousOutput, keepSearchFiles, published } from './data.ts';

/**
 * Writes the search files into `siteDir`. With `previous` (the output of the last build, which
 * the new one will replace in place), a file whose bytes are already there is not written, and
 * its path is returned: after a small edit most are (every row but the edited one, and about half
 * the term shards).
 */
export function writeSearchFiles(siteDir: string, files: SearchFiles, previous?: string): string[] {
  const kept: string[] = [];
  const write = (name: string, text: string) => {
    if (previous !== undefined && sameText(path.join(previous, name), text)) kept.push(name);
    else writeFileSync(path.join(siteDir, name), text);
  };
  for (const sub of ['terms', 'docs']) mkdirSync(path.join(siteDir, 'search', sub), { recursive: true });
  // Written one after the other, synchronously: for thousands of small files that is several
  // times quicker than many asynchronous writes at once, and nothing else runs meanwhile.
  write(path.join('search', 'manifest.json'), JSON.stringify(files.manifest));
  write(path.join('search', 'facets.json'), JSON.stringify(files.facets));
  files.shards.forEach((shard, n) => write(path.join('search', 'terms', `${n}.json`), JSON.stringify(shard)));
  files.documents.forEach((document, n) => write(path.join('search', 'docs', `${n}.json`), JSON.stringify(document)));
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
  return {
    name: 'hindsight-search',
    hooks: {
      'astro:build:done': async ({ dir }) => {
        const { kb, incidents } = await published();
        keepSearchFiles(writeSearchFiles(fileURLToPath(dir), buildSearchFiles(incidents, kb.catalog), handedPreviousOutput()));
      },
    },
  };
}
