/** A worker thread of the parse pool (see parse-pool.ts): batches of files in, parse results out. */
import { parentPort, workerData } from 'node:worker_threads';
import { parseCatalog } from './catalog.ts';
import type { WorkerData, WorkerReply, WorkerRequest } from './parse-pool.ts';
import { parsePostmortem } from './postmortem.ts';

const { catalog: texts, html } = workerData as WorkerData;
const { catalog } = parseCatalog(texts);

parentPort!.on('message', ({ inputs }: WorkerRequest) => {
  const results = inputs.map(({ file, text }) => parsePostmortem(text, file, catalog, { html }));
  parentPort!.postMessage({ results } satisfies WorkerReply);
});
