/** The worker thread of background.ts: similarity (when asked for), then the term shards. */
import { parentPort, workerData } from 'node:worker_threads';
import { similarIncidents } from '../linking.ts';
import { searchFileTexts, termShards } from '../search-index.ts';
import type { BackgroundInput, BackgroundReply, BackgroundTerms } from './background.ts';

const { similarity } = workerData as BackgroundInput;
if (similarity) parentPort!.postMessage({ similar: similarIncidents(similarity) } satisfies BackgroundReply);
// The terms wait in the message queue until similarity is done.
parentPort!.once('message', ({ terms }: BackgroundTerms) => {
  parentPort!.postMessage({ shards: searchFileTexts(termShards(terms)) } satisfies BackgroundReply);
});
