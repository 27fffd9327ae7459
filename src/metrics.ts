/**
 * Figures over many incidents. Durations are skewed (most incidents end in an hour, a few take
 * days), so the headline figures are medians and percentiles, never means.
 */

/** The q-quantile (0–1) by linear interpolation between closest ranks; null when empty. */
export function quantile(values: readonly number[], q: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * q;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function median(values: readonly number[]): number | null {
  return quantile(values, 0.5);
}
