/** "Did you mean": the closest known value by edit distance, when it is close enough. */
import { distance } from 'fastest-levenshtein';

export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  // Longer values allow about one edit per three characters, from two up to four.
  const limit = needle.length <= 4 ? 1 : Math.min(4, Math.max(2, Math.floor(needle.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    let d = distance(needle, candidate.toLowerCase());
    // For short values only a letter added or dropped counts (`tag` → `tags`), not a swap (`SEV9` ↛ `SEV1`).
    if (needle.length <= 4 && d > 0 && candidate.length === needle.length) d = Infinity;
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** `; did you mean \`x\`?` or nothing. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closest(input, candidates);
  return match === undefined ? '' : `; did you mean \`${match}\`?`;
}
