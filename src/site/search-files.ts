/**
 * Writes the sharded search index (see ../search/index-files.ts) into the built site, from an Astro
 * integration, so `hindsight build` and a plain `astro build` both produce it. The background
 * worker (background.ts) builds the term shards while Astro bundles and renders the pages, and
 * writes them with the result rows as soon as Astro has emptied the output folder: the files are
 * in place, on the other core, before the last page is rendered.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { searchRowFiles } from '../search/index-files.ts';
import { startBackground, type Background } from './background.ts';
import { handedBackground, handedPlan, handedPreviousOutput, keepSearchFiles, pagesWritten, published } from './data.ts';
import { searchRowAddress } from './incremental.ts';

export function searchFiles(): AstroIntegration {
  let outDir: string;
  let background: Promise<Background> | undefined;
  let kept: Promise<string[]> | undefined;
  return {
    name: 'hindsight-search',
    hooks: {
      'astro:config:done': ({ config }) => {
        outDir = fileURLToPath(config.outDir);
      },
      'astro:build:start': () => {
        // Started by `hindsight build` with similarity; a plain `astro build` starts its own.
        const handed = handedBackground();
        background = handed ? Promise.resolve(handed) : published().then(({ kb, incidents }) => startBackground(incidents, kb.catalog, { similarity: false }));
      },
      // Called for each of Astro's bundles, after it emptied the output folder: the first call
      // hands the folder over.
      'astro:build:setup': () => {
        // An incremental build writes the files of result rows its plan says changed (once the
        // site has made the plan, when the first page renders); the others stay as they are.
        kept ??= Promise.all([background!, published(), handedPlan()]).then(([worker, { incidents }, plan]) => {
          const wanted = (file: number) => !plan || plan.render.has(searchRowAddress(file));
          return worker.writeSearchFiles(outDir, searchRowFiles(incidents, wanted), handedPreviousOutput());
        });
        kept.catch(() => {}); // awaited, and so reported, when the pages are done
      },
      'astro:build:done': async () => {
        // The pages are written; the search files may not be yet, and the build takes the
        // pages it did not render from its previous output meanwhile.
        await pagesWritten();
        keepSearchFiles(await kept!);
      },
    },
  };
}
