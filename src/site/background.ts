/**
 * The work of a site build that no single page needs, done on one worker thread while Astro
 * starts, bundles and renders the pages on the main one: which incidents are similar (see
 * ../analysis/linking.ts), then the term shards of the search index (see ../search/index-files.ts), which it writes
 * into the output folder with the result rows once it is told where (see search-files.ts).
 * Similarity comes first, as the first page rendered waits for it. One thread, not two: with
 * two cores, a third busy thread would slow the main one.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Catalog } from '../format/vocabulary.ts';
import { similarityInput, type SimilarIds, type SimilarityInput } from '../analysis/linking.ts';
import type { Postmortem } from '../knowledge-base/index.ts';
import { packSearchTerms } from '../knowledge-base/search-terms.ts';
import type { SearchFileTexts } from '../search/index-files.ts';
import { documentTerms } from '../search/terms.ts';
import type { BackgroundInput, BackgroundMessage, BackgroundReply } from './background-worker.ts';

export interface Background {
  /** Undefined when not asked for. */
  similar?: Promise<SimilarIds>;
  /**
   * Writes the search files (the term shards and `rows`, the other files) into `dir`, leaving
   * out those whose bytes are already in `previous` (the output the build will update in
   * place); gives the paths of those left out. Call it once.
   */
  writeSearchFiles(dir: string, rows: SearchFileTexts, previous?: string): Promise<string[]>;
}

/** Starts the work for the published `incidents`; `similarity: false` leaves similarity out. */
export function startBackground(incidents: readonly Postmortem[], catalog: Catalog, { similarity = true } = {}): Background {
  const input: BackgroundInput = { similarity: similarity ? similarityInput(incidents) : undefined };
  // A young generation larger than the default: the worker builds large structures at once,
  // and the default one makes the collector run several times as often.
  // Beside this module, with its extension: .ts in a clone, .js in the installed package.
  const worker = new Worker(new URL(`./background-worker${path.extname(import.meta.url)}`, import.meta.url), { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  worker.postMessage({ terms: incidents.map((p) => p.terms?.search ?? packSearchTerms(documentTerms(p, catalog))) } satisfies BackgroundMessage);
  const similar = similarity ? Promise.withResolvers<SimilarIds>() : undefined;
  const kept = Promise.withResolvers<string[]>();
  // The worker keeps the process alive only while an answer is awaited: a build that fails
  // before it asks for the search files is not held up by a worker waiting to write them.
  let awaited = similar ? 1 : 0;
  if (!awaited) worker.unref();
  const answered = () => {
    if (--awaited === 0) worker.unref();
  };
  worker.on('message', (reply: BackgroundReply) => {
    if ('similar' in reply) similar?.resolve(reply.similar);
    else kept.resolve(reply.kept);
    answered();
  });
  const fail = (error: unknown) => {
    similar?.reject(error);
    kept.reject(error);
  };
  worker.once('error', fail);
  worker.once('exit', (code) => fail(new Error(`The site's background worker stopped with exit code ${code} before it was done.`)));
  // Awaited, and so reported, when pages need them; not unhandled rejections meanwhile.
  similar?.promise.catch(() => {});
  kept.promise.catch(() => {});
  return {
    similar: similar?.promise,
    writeSearchFiles(dir, rows, previous) {
      if (awaited++ === 0) worker.ref();
      worker.postMessage({ write: { dir, rows, previous } } satisfies BackgroundMessage);
      return kept.promise;
    },
  };
}
