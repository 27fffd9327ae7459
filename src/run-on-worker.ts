/**
 * One piece of work on a worker thread, while the calling thread goes on with other work: the
 * worker module gets its input as `workerData` and posts its result once.
 */
import { Worker } from 'node:worker_threads';

export function runOnWorker<T>(module: URL, input: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    // A young generation larger than the default: these workers build large structures at once,
    // and the default one makes the collector run several times as often.
    const worker = new Worker(module, { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The worker ${module.pathname} stopped with exit code ${code} before it posted its result.`)));
  });
}
