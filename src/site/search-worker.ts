/**
 * A worker thread that builds the term shards of the search index (see search-files.ts), run
 * once by `runOnWorker`: the documents' terms in, each file's path and text out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { termShards, type DocumentTerms } from '../search-index.ts';
import { searchFileTexts } from './search-files.ts';

parentPort!.postMessage(searchFileTexts(termShards(workerData as DocumentTerms[])));
