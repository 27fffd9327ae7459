/**
 * Writes the sharded search index (see ../search-index.ts) into the built site, from an Astro
 * integration, so `hindsight build` and a plain `astro build` both produce it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { buildSearchFiles, type SearchFiles } from '../search-index.ts';
import { published } from './data.ts';

export function writeSearchFiles(siteDir: string, files: SearchFiles): void {
  const root = path.join(siteDir, 'search');
  for (const sub of ['terms', 'docs']) mkdirSync(path.join(root, sub), { recursive: true });
  // Written one after the other, synchronously: for thousands of small files that is several
  // times quicker than many asynchronous writes at once, and nothing else runs meanwhile.
  writeFileSync(path.join(root, 'manifest.json'), JSON.stringify(files.manifest));
  writeFileSync(path.join(root, 'facets.json'), JSON.stringify(files.facets));
  files.shards.forEach((shard, n) => writeFileSync(path.join(root, 'terms', `${n}.json`), JSON.stringify(shard)));
  files.documents.forEach((document, n) => writeFileSync(path.join(root, 'docs', `${n}.json`), JSON.stringify(document)));
}

export function searchFiles(): AstroIntegration {
  return {
    name: 'hindsight-search',
    hooks: {
      'astro:build:done': async ({ dir }) => {
        const { kb, incidents } = await published();
        writeSearchFiles(fileURLToPath(dir), buildSearchFiles(incidents, kb.catalog));
      },
    },
  };
}
