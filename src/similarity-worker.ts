/** A worker thread that works out which incidents are similar (see linking.ts): run once by `runOnWorker`. */
import { parentPort, workerData } from 'node:worker_threads';
import { similarIncidents, type SimilarityInput } from './linking.ts';

parentPort!.postMessage(similarIncidents(workerData as SimilarityInput[]));
