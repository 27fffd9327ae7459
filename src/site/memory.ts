/**
 * How much memory a build holds at its peak, as V8 decides it. Measured at 10,000 postmortems on
 * the bench's machine (docs/profiles.md): while Astro rendered the pages, the main thread's heap
 * grew to 1.2-1.3 GB of which about 500 MB was live, the rest rendered pages that V8's default
 * growth let pile up before a full collection; and when Astro began to bundle the pages, the
 * heap still held what loading had left, while the background worker made the search index.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Lets each heap grow to 1.5 times what the last full collection left, instead of about twice
 * or more: while the pages render, the main thread's heap stays near 600 MB instead of 1.2 GB,
 * in about the same time (a collection of a heap that holds mostly garbage is quick). Set for
 * the whole process from then on; not before, as the parse workers, which keep most of what they
 * make, would collect far more often for nothing (the whole build with it took 10 s longer).
 */
export function limitHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=50');
}

let collect: (() => void) | undefined;

/**
 * A full collection now, for a thread that has just let go of most of what it made and is about
 * to work without allocating much (so V8 would not collect soon). V8 offers it only as `gc`,
 * which the `--expose-gc` flag defines in contexts made after it is set.
 */
export function collectGarbage(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
