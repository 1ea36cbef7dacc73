import { performance } from 'node:perf_hooks';

/** One contender of {@link timeAlternating}: a name and one timed call (e.g. one model run). */
export interface TimedContender {
  readonly name: string;
  readonly run: () => Promise<unknown>;
}

/** Options of {@link timeAlternating}. */
export interface AlternatingTimingOptions {
  /** Stop starting rounds once this much time has passed (warm-up included), in ms. Default 1500. */
  readonly budgetMs?: number;
  /** Untimed calls of each contender first. Default 3. */
  readonly warmup?: number;
  /** Calls of one contender in a row, per round. Default 3. */
  readonly runsPerRound?: number;
  /** Rounds run even past the budget, in [1, 1000]. Default 4. */
  readonly minRounds?: number;
  /** Rounds at most, in [minRounds, 1000]. Default 1000. */
  readonly maxRounds?: number;
  /** Clock in ms. Default performance.now. */
  readonly now?: () => number;
}

/** The per-call times of one contender, in ms, from the mean of each round. */
export interface ContenderTimes {
  readonly name: string;
  readonly rounds: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** This contender's round mean over the first contender's in the same round, by round. */
  readonly roundRatios: readonly number[];
}

/**
 * Times several contenders on a machine whose speed drifts (shared cores, frequency scaling):
 * each round runs every contender `runsPerRound` times in turn, so a slow spell slows all of
 * them alike; the median of the round means is each one's time, and each round's ratio to the
 * first contender shows the spread of the comparison itself.
 */
export async function timeAlternating(
  contenders: readonly TimedContender[],
  options: AlternatingTimingOptions = {},
): Promise<ContenderTimes[]> {
  const budgetMs = options.budgetMs ?? 1500;
  const warmup = options.warmup ?? 3;
  const runsPerRound = options.runsPerRound ?? 3;
  const minRounds = options.minRounds ?? 4;
  const maxRounds = options.maxRounds ?? 1000;
  const now = options.now ?? (() => performance.now());
  if (contenders.length === 0) throw new RangeError("'contenders' must not be empty");
  if (!(budgetMs >= 0)) throw new RangeError(`'budgetMs' must be >= 0, got ${budgetMs}`);
  for (const [name, value, low, high] of [
    ['warmup', warmup, 0, 1000],
    ['runsPerRound', runsPerRound, 1, 1000],
    ['minRounds', minRounds, 1, 1000],
    ['maxRounds', maxRounds, minRounds, 1000],
  ] as const) {
    if (!Number.isInteger(value) || value < low || value > high)
      throw new RangeError(`'${name}' must be an integer in [${low}, ${high}], got ${value}`);
  }
  const start = now();
  for (const c of contenders) for (let i = 0; i < warmup; i++) await c.run();
  const means: number[][] = contenders.map(() => []);
  for (let round = 0; round < maxRounds; round++) {
    if (round >= minRounds && now() - start >= budgetMs) break;
    for (const [k, c] of contenders.entries()) {
      const t0 = now();
      for (let i = 0; i < runsPerRound; i++) await c.run();
      means[k]?.push((now() - t0) / runsPerRound);
    }
  }
  const first = means[0] ?? [];
  return contenders.map((c, k) => {
    const times = means[k] ?? [];
    const sorted = [...times].sort((a, b) => a - b);
    return {
      name: c.name,
      rounds: times.length,
      medianMs: median(sorted),
      minMs: sorted[0] ?? NaN,
      maxMs: sorted[sorted.length - 1] ?? NaN,
      roundRatios: times.map((t, i) => t / (first[i] ?? NaN)),
    };
  });
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}
