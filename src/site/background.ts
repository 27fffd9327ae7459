/**
 * The work of a site build that no single page needs, done on one worker thread while Astro
 * starts, bundles and renders the pages on the main one: which incidents are similar (see
 * linking.ts), then the term shards of the search index (see search-index.ts). Similarity comes
 * first, as the first page rendered waits for it; the shards are needed only once every page is
 * done. One thread, not two: with two cores, a third busy thread would slow the main one.
 */
import { Worker } from 'node:worker_threads';
import type { Catalog } from '../catalog.ts';
import { similarityInput, type SimilarIds, type SimilarityInput } from '../linking.ts';
import type { Postmortem } from '../postmortem.ts';
import { documentTerms, type DocumentTerms, type SearchFileTexts } from '../search-index.ts';

export interface Background {
  /** Undefined when not asked for. */
  similar?: Promise<SimilarIds>;
  shards: Promise<SearchFileTexts>;
}

/**
 * What the worker gets: plain data, copied to it. The terms follow in a message of their own,
 * so the worker does not read them in before similarity is done.
 */
export interface BackgroundInput {
  similarity?: SimilarityInput[];
}
export interface BackgroundTerms {
  terms: DocumentTerms[];
}

/** What the worker posts, once each. */
export type BackgroundReply = { similar: SimilarIds } | { shards: SearchFileTexts };

/** Starts the work for the published `incidents`; `similarity: false` leaves similarity out. */
export function startBackground(incidents: readonly Postmortem[], catalog: Catalog, { similarity = true } = {}): Background {
  const input: BackgroundInput = { similarity: similarity ? similarityInput(incidents) : undefined };
  // A young generation larger than the default: the worker builds large structures at once,
  // and the default one makes the collector run several times as often.
  const worker = new Worker(new URL('./background-worker.ts', import.meta.url), { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  worker.postMessage({ terms: incidents.map((p) => p.terms?.search ?? documentTerms(p, catalog)) } satisfies BackgroundTerms);
  const similar = similarity ? Promise.withResolvers<SimilarIds>() : undefined;
  const shards = Promise.withResolvers<SearchFileTexts>();
  worker.on('message', (reply: BackgroundReply) => {
    if ('similar' in reply) similar?.resolve(reply.similar);
    else shards.resolve(reply.shards);
  });
  const fail = (error: unknown) => {
    similar?.reject(error);
    shards.reject(error);
  };
  worker.once('error', fail);
  worker.once('exit', (code) => fail(new Error(`The site's background worker stopped with exit code ${code} before it was done.`)));
  // Awaited, and so reported, when pages need them; not unhandled rejections meanwhile.
  similar?.promise.catch(() => {});
  shards.promise.catch(() => {});
  return { similar: similar?.promise, shards: shards.promise };
}
