/**
 * The worker thread of background.ts: similarity (when asked for), then the term shards, then
 * the search files written where it is told. The messages it takes and sends are declared here,
 * so background.ts imports them from the worker and never the other way round.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { similarIncidents, type SimilarIds, type SimilarityInput } from '../analysis/linking.ts';
import { eachTermShard, searchFileTexts, shardFile, type SearchFileTexts } from '../search/index-files.ts';
import type { DocumentTerms } from '../search/terms.ts';
import { unpackSearchTerms } from '../knowledge-base/search-terms.ts';
import { collectGarbage } from './memory.ts';

/**
 * What the worker gets: plain data, copied to it. The terms follow in a message of their own,
 * so the worker does not read them in before similarity is done.
 */
export interface BackgroundInput {
  similarity?: SimilarityInput[];
}
/** The search terms of the published postmortems, serialized as the knowledge base keeps them (see ../knowledge-base/index.ts `KeptTerms`). */
export type BackgroundMessage = { terms: Uint8Array[] } | { write: { dir: string; rows: SearchFileTexts; previous?: string } };

/** What the worker posts, once each. */
export type BackgroundReply = { similar: SimilarIds } | { kept: string[] };

const { similarity } = workerData as BackgroundInput;
if (similarity) parentPort!.postMessage({ similar: similarIncidents(similarity) } satisfies BackgroundReply);
// Messages wait in the queue until similarity is done; the terms come first.
let shards: SearchFileTexts | undefined;
parentPort!.on('message', (message: BackgroundMessage) => {
  if ('terms' in message) {
    // Each shard is made into text as soon as it is made: the arrays it was made of go at once.
    const texts: SearchFileTexts = [];
    const manifest = eachTermShard(takeTerms(message), (shard) => texts.push(shardFile(shard)));
    shards = [...searchFileTexts({ manifest }), ...texts];
    // The terms and the arrays the shards were made of are garbage now, 150 MB at ten thousand
    // postmortems, and would stay while the files are written, at the build's busiest moment,
    // as writing allocates little (see memory.ts).
    collectGarbage();
  } else {
    const { dir, rows, previous } = message.write;
    parentPort!.postMessage({ kept: writeSearchFiles(dir, [...shards!, ...rows], previous) } satisfies BackgroundReply);
    parentPort!.unref(); // done: let the thread end
  }
});

/** The terms of a message, taken out of it and decoded: the message no longer holds them once they are used. */
function takeTerms(message: { terms?: Uint8Array[] }): DocumentTerms[] {
  const { terms = [] } = message;
  delete message.terms;
  return terms.map(unpackSearchTerms);
}

/**
 * Writes the search files into `siteDir`. With `previous` (the output of the last build, which
 * the new one will replace in place), a file whose bytes are already there is not written, and
 * its path is returned: after a small edit most are (every file of rows but the edited
 * incident's, and every shard but those of its terms).
 */
function writeSearchFiles(siteDir: string, files: SearchFileTexts, previous?: string): string[] {
  const kept: string[] = [];
  for (const sub of ['terms', 'docs']) mkdirSync(path.join(siteDir, 'search', sub), { recursive: true });
  // Written one after the other, synchronously: for thousands of small files that is several
  // times quicker than many asynchronous writes at once, and this thread has nothing else to do.
  for (const [name, text] of files) {
    if (previous !== undefined && sameText(path.join(previous, name), text)) kept.push(name);
    else writeFileSync(path.join(siteDir, name), text);
  }
  return kept;
}

function sameText(file: string, text: string): boolean {
  try {
    return readFileSync(file, 'utf8') === text;
  } catch {
    return false;
  }
}
