/**
 * Writes the sharded search index (see ../search-index.ts) into the built site, from an Astro
 * integration, so `hindsight build` and a plain `astro build` both produce it. Thousands of
 * small files: written many at a time.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { buildSearchFiles, type SearchFiles } from '../search-index.ts';
import { published } from './data.ts';

const WRITE_CONCURRENCY = 128;

export async function writeSearchFiles(siteDir: string, files: SearchFiles): Promise<void> {
  const root = path.join(siteDir, 'search');
  await Promise.all(['terms', 'docs'].map((sub) => mkdir(path.join(root, sub), { recursive: true })));
  const writes: [string, unknown][] = [
    ['manifest.json', files.manifest],
    ['facets.json', files.facets],
    ...files.shards.map((shard, n): [string, unknown] => [`terms/${n}.json`, shard]),
    ...files.documents.map((document, n): [string, unknown] => [`docs/${n}.json`, document]),
  ];
  for (let i = 0; i < writes.length; i += WRITE_CONCURRENCY) {
    await Promise.all(writes.slice(i, i + WRITE_CONCURRENCY).map(([name, value]) => writeFile(path.join(root, name), JSON.stringify(value))));
  }
}

export function searchFiles(): AstroIntegration {
  return {
    name: 'hindsight-search',
    hooks: {
      'astro:build:done': async ({ dir }) => {
        const { kb, incidents } = await published();
        await writeSearchFiles(fileURLToPath(dir), buildSearchFiles(incidents, kb.catalog));
      },
    },
  };
}
