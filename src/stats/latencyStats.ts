/**
 * Latency statistics (percentiles, summaries): pure maths shared by the running node
 * (ros/cameraStats.ts, its /diagnostics percentiles) and the benchmarks.
 */

/** Summary of repeated latency measurements, in milliseconds. */
export interface LatencySummary {
  readonly runs: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * The p-th percentile (p in [0, 100]) of ascending sorted samples, interpolating linearly between
 * the two nearest ranks (NumPy's default method).
 *
 * @throws RangeError for no samples or p outside [0, 100].
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError(`'samples' must not be empty`);
  if (!(p >= 0 && p <= 100)) throw new RangeError(`'p' must be in [0, 100], got ${p}`);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return a + (b - a) * (rank - lo);
}

/**
 * Summarises latency samples (any order).
 *
 * @throws RangeError for no samples, or a sample that is negative or not finite.
 */
export function summarizeLatencies(samplesMs: readonly number[]): LatencySummary {
  if (samplesMs.length === 0) throw new RangeError(`'samples' must not be empty`);
  for (const s of samplesMs) {
    if (!(Number.isFinite(s) && s >= 0))
      throw new RangeError(`latency samples must be finite and >= 0, got ${s}`);
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    min: sorted[0] ?? 0,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1] ?? 0,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}
