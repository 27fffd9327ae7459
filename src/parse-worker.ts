/** A worker thread of the parse pool (see parse-pool.ts): batches of files in, parse results out. */
import { parentPort, workerData } from 'node:worker_threads';
import { parseCatalog } from './catalog.ts';
import type { WorkerData, WorkerReply, WorkerRequest } from './parse-pool.ts';
import { parsePostmortem } from './postmortem.ts';

const { catalog: texts, html, data } = workerData as WorkerData;
const { catalog } = parseCatalog(texts);

parentPort!.on('message', ({ inputs }: WorkerRequest) => {
  const results = inputs.map(({ file, text }) => {
    const result = parsePostmortem(text, file, catalog, { html });
    if (data) return result;
    // Only the outcome: copying every postmortem to the main thread for nothing costs both threads.
    const { postmortem, ...outcome } = result;
    return { ...outcome, ok: postmortem !== undefined };
  });
  parentPort!.postMessage({ results } satisfies WorkerReply);
});
