/**
 * A worker thread of the parse pool (see parse-pool.ts): batches of files in, parse results out.
 * The messages it takes and sends are declared here, so the pool imports them from the worker
 * and never the other way round.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseCatalog, type CatalogTexts } from './catalog.ts';
import type { ParseResult } from './index.ts';
import type { Outcome } from './parse-cache.ts';
import { parseFile } from './parse.ts';

export interface ParseInput {
  file: string;
  text: string;
}

export interface WorkerData {
  catalog: CatalogTexts;
  html: boolean;
  data: boolean;
}
export type WorkerRequest = { inputs: ParseInput[] };
/** A file's parse result, or only its outcome when the pool was opened without `data`. */
export type PoolResult = ParseResult | Outcome;
export type WorkerReply = { results: PoolResult[] };

const { catalog: texts, html, data } = workerData as WorkerData;
const { catalog } = parseCatalog(texts);

parentPort!.on('message', ({ inputs }: WorkerRequest) => {
  const results = inputs.map(({ file, text }) => {
    const result = parseFile(text, file, catalog, { html });
    if (data) return result;
    // Only the outcome: copying every postmortem to the main thread for nothing costs both threads.
    const { postmortem, ...outcome } = result;
    return { ...outcome, ok: postmortem !== undefined };
  });
  parentPort!.postMessage({ results } satisfies WorkerReply);
});
