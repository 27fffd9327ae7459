/**
 * Parsing many postmortems on every core: worker threads, each with its own copy of the
 * catalogue, take files in small batches from one queue (so a slow batch never holds the others
 * up) and send back parse results. Few files are parsed on the calling thread, where starting
 * workers would cost more than it saves.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CatalogTexts } from './catalog.ts';
import type { ParseInput, PoolResult, WorkerData, WorkerReply, WorkerRequest } from './parse-worker.ts';

export type { ParseInput, PoolResult };

export interface PoolOptions {
  catalog: CatalogTexts;
  html: boolean;
  /** Send each file's data back; without it only its outcome (diagnostics, id, related), all `validate` reads. */
  data: boolean;
  /** Worker threads to use at most (default: one per core). */
  threads?: number;
}

/** Below this many files one thread is quicker than starting workers. */
export const WORKER_THRESHOLD = 150;
const BATCH = 32;

/**
 * Worker threads that parse batches as they are handed in: opened before the files are read, so
 * the workers load their code while the first files are read, and parse while the rest are.
 */
export interface ParsePool {
  /** Parses the inputs on the workers; results in the inputs' order. */
  parse(inputs: readonly ParseInput[]): Promise<PoolResult[]>;
  /** Stops the workers: call it once every `parse` has settled. */
  close(): Promise<void>;
}

export function openParsePool({ catalog, html, data, threads = availableParallelism() }: PoolOptions): ParsePool {
  const queue: { inputs: ParseInput[]; done: (results: PoolResult[]) => void; failed: (error: unknown) => void }[] = [];
  const idle: Worker[] = [];
  const working = new Map<Worker, (typeof queue)[number]>();
  let failure: unknown;
  const workerData: WorkerData = { catalog, html, data };

  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const job = queue.shift()!;
      working.set(worker, job);
      worker.postMessage({ inputs: job.inputs } satisfies WorkerRequest);
    }
  };
  const fail = (error: unknown) => {
    failure ??= error;
    for (const job of [...working.values(), ...queue.splice(0)]) job.failed(failure);
    working.clear();
  };
  const workers = Array.from({ length: Math.max(1, threads) }, () => {
    // A larger young generation: parsing allocates many short-lived objects, and the default
    // one makes the collector run several times as often.
    // Beside this module, with its extension: .ts in a clone, .js in the installed package.
    const worker = new Worker(new URL(`./parse-worker${path.extname(import.meta.url)}`, import.meta.url), { workerData, resourceLimits: { maxYoungGenerationSizeMb: 96 } });
    worker.on('message', (reply: WorkerReply) => {
      working.get(worker)?.done(reply.results);
      working.delete(worker);
      idle.push(worker);
      dispatch();
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`A parse worker stopped with exit code ${code}.`));
    });
    idle.push(worker);
    return worker;
  });

  return {
    async parse(inputs) {
      if (failure) throw failure;
      const batches: Promise<PoolResult[]>[] = [];
      for (let i = 0; i < inputs.length; i += BATCH) {
        batches.push(new Promise((done, failed) => queue.push({ inputs: inputs.slice(i, i + BATCH), done, failed })));
      }
      dispatch();
      return (await Promise.all(batches)).flat();
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
