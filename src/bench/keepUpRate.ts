import type { PlayMeasurement } from './playMeasurement.js';

/**
 * How {@link findKeepUpRate} looks for the highest input rate the node keeps up with.
 * Defaults in brackets.
 */
export interface KeepUpOptions {
  /** First paced rate, as a fraction of the capacity measured under overload, in (0, 1]. [0.95] */
  readonly startFraction?: number;
  /**
   * First paced rate in frames/s, instead of `startFraction` x capacity, > 0. The real-graph
   * bench starts at the round's replay rate: its target is relative to replay, and a capacity
   * measured under overload understates the node, which also receives (and drops) the excess
   * frames. [none]
   */
  readonly startFps?: number;
  /** Each further try plays at this fraction of the previous rate, in (0, 1). [0.9] */
  readonly stepFraction?: number;
  /** Paced tries at most, >= 1. [3] */
  readonly attempts?: number;
  /** "Keeps up": at most this fraction of the timed frames is not published, in [0, 1). [0.02] */
  readonly maxLoss?: number;
}

/** One paced play. */
export interface RateAttempt {
  /** The rate the frames were played at, frames/s. */
  readonly inputFps: number;
  readonly measured: PlayMeasurement;
  readonly keptUp: boolean;
}

/** The outcome of the search: every try in order, and the one that counts. */
export interface KeepUpResult {
  readonly attempts: readonly RateAttempt[];
  /** The first try that kept up, else the last (slowest) one, with keptUp false. */
  readonly chosen: RateAttempt;
}

/**
 * Whether at most `maxLoss` of the played frames went without a detection. Counted in frames,
 * not as `loss <= maxLoss`: 1 - 98/100 is 0.020000000000000018 in floating point, and 2 frames
 * lost of 100 must pass a 2% limit.
 */
export function keptUp(m: PlayMeasurement, maxLoss: number): boolean {
  return m.played - m.published <= maxLoss * m.played + 1e-9;
}

/** The defaults of {@link KeepUpOptions}, checked. */
export function keepUpSettings(
  options: KeepUpOptions = {},
): Required<Omit<KeepUpOptions, 'startFps'>> {
  const s = {
    startFraction: options.startFraction ?? 0.95,
    stepFraction: options.stepFraction ?? 0.9,
    attempts: options.attempts ?? 3,
    maxLoss: options.maxLoss ?? 0.02,
  };
  if (!(s.startFraction > 0 && s.startFraction <= 1))
    throw new RangeError(`'startFraction' must be in (0, 1], got ${s.startFraction}`);
  if (!(s.stepFraction > 0 && s.stepFraction < 1))
    throw new RangeError(`'stepFraction' must be in (0, 1), got ${s.stepFraction}`);
  if (!Number.isInteger(s.attempts) || s.attempts < 1)
    throw new RangeError(`'attempts' must be an integer >= 1, got ${s.attempts}`);
  if (!(s.maxLoss >= 0 && s.maxLoss < 1))
    throw new RangeError(`'maxLoss' must be in [0, 1), got ${s.maxLoss}`);
  return s;
}

/**
 * The highest rate the node keeps up with, found in two steps. Its capacity is measured first,
 * under overload (frames played faster than it can take them: it publishes as fast as it can
 * and drops the rest). A node fed exactly at its capacity drops frames whenever one frame takes
 * longer than the mean, so the frames are then played at `startFraction` of that capacity, and
 * at `stepFraction` of the previous rate after each try that lost more than `maxLoss` of the
 * frames, at most `attempts` times. The node's frames/s is what it published in the first try
 * that kept up.
 *
 * When the overload play itself lost no more than `maxLoss`, it was no overload: the node kept
 * up with that rate, and that play is the result (no paced tries).
 *
 * @param overload the play at `overloadFps`.
 * @param playAt plays the frames at the given rate and measures the node.
 */
export async function findKeepUpRate(
  overloadFps: number,
  overload: PlayMeasurement,
  playAt: (fps: number) => Promise<PlayMeasurement>,
  options: KeepUpOptions = {},
): Promise<KeepUpResult> {
  const s = keepUpSettings(options);
  if (keptUp(overload, s.maxLoss)) {
    const chosen = { inputFps: overloadFps, measured: overload, keptUp: true };
    return { attempts: [chosen], chosen };
  }
  const attempts: RateAttempt[] = [];
  if (options.startFps !== undefined && !(options.startFps > 0))
    throw new RangeError(`'startFps' must be > 0, got ${options.startFps}`);
  let fps = options.startFps ?? overload.fps * s.startFraction;
  for (let i = 0; i < s.attempts; i++, fps *= s.stepFraction) {
    const measured = await playAt(fps);
    const attempt = { inputFps: fps, measured, keptUp: keptUp(measured, s.maxLoss) };
    attempts.push(attempt);
    if (attempt.keptUp) break;
  }
  const chosen = attempts[attempts.length - 1];
  if (chosen === undefined) throw new Error('no paced play was run');
  return { attempts, chosen };
}
