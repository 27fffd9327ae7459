/**
 * Parsing many postmortems on every core: worker threads, each with its own copy of the
 * catalogue, take files in small batches from one queue (so a slow batch never holds the others
 * up) and send back parse results. Few files are parsed on the calling thread, where starting
 * workers would cost more than it saves.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CatalogTexts } from './catalog.ts';
import type { ParseResult } from './postmortem.ts';

export interface ParseInput {
  file: string;
  text: string;
}

export interface PoolOptions {
  catalog: CatalogTexts;
  html: boolean;
  /** Worker threads to use at most (default: one per core). */
  threads?: number;
}

/** Below this many files one thread is quicker than starting workers. */
export const WORKER_THRESHOLD = 150;
const BATCH = 32;

export interface WorkerData {
  catalog: CatalogTexts;
  html: boolean;
}
export type WorkerRequest = { batch: number; inputs: ParseInput[] };
export type WorkerReply = { batch: number; results: ParseResult[] };

export async function parseInWorkers(inputs: readonly ParseInput[], { catalog, html, threads = availableParallelism() }: PoolOptions): Promise<ParseResult[]> {
  const batches: ParseInput[][] = [];
  for (let i = 0; i < inputs.length; i += BATCH) batches.push(inputs.slice(i, i + BATCH));
  const results: ParseResult[][] = new Array(batches.length);
  let next = 0;
  const count = Math.max(1, Math.min(threads, Math.ceil(batches.length / 2)));
  const workerData: WorkerData = { catalog, html };
  await Promise.all(
    Array.from({ length: count }, () => {
      // A larger young generation: parsing allocates many short-lived objects, and the default
      // one makes the collector run several times as often.
      const worker = new Worker(new URL('./parse-worker.ts', import.meta.url), { workerData, resourceLimits: { maxYoungGenerationSizeMb: 96 } });
      return new Promise<void>((resolve, reject) => {
        const send = () => {
          if (next >= batches.length) {
            void worker.terminate().then(() => resolve());
            return;
          }
          const batch = next++;
          worker.postMessage({ batch, inputs: batches[batch]! } satisfies WorkerRequest);
        };
        worker.on('message', (reply: WorkerReply) => {
          results[reply.batch] = reply.results;
          send();
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code !== 0 && next < batches.length) reject(new Error(`A parse worker stopped with exit code ${code}.`));
        });
        send();
      });
    }),
  );
  return results.flat();
}
