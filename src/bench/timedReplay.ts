import type { AppConfig } from '../config/detectorConfig.js';
import type { FrameResult } from '../pipeline/frameResult.js';
import { runReplay } from '../replay/runReplay.js';

/** Frames and seconds of one timed replay, with the latency of each frame. */
export interface TimedReplay {
  readonly seconds: number;
  readonly latencies: readonly number[];
}

/** Options of {@link timedReplay}. */
export interface TimedReplayOptions {
  readonly config: AppConfig;
  readonly bag: string;
  /** The camera topic replayed. */
  readonly topic: string;
  /** The output bag (overwritten). */
  readonly output: string;
  /** Timed frames, after the warm-up. */
  readonly frames: number;
  /** Untimed frames first. */
  readonly warmup: number;
  /** Each timed frame's result as it is written. */
  readonly onResult?: (result: FrameResult) => void;
}

/**
 * One `replay` of a bag, the full path (read, decode, preprocess, inference, post-process,
 * serialise, write), timed from the last warm-up frame written to the last timed one: `frames`
 * frame intervals, as a bare loop's clock starts when its warm-up is done.
 */
export async function timedReplay(options: TimedReplayOptions): Promise<TimedReplay> {
  const { frames, warmup } = options;
  const latencies: number[] = [];
  let lastWarmup: bigint | undefined;
  let lastDone = 0n;
  await runReplay({
    bag: options.bag,
    output: options.output,
    force: true,
    config: options.config,
    topics: [options.topic],
    onWritten: (result, latencyMs) => {
      const index = result.frame.sequence;
      const now = process.hrtime.bigint();
      if (index === warmup - 1) lastWarmup = now;
      if (index >= warmup && index < warmup + frames) {
        latencies.push(latencyMs);
        lastDone = now;
        options.onResult?.(result);
      }
    },
  });
  return { seconds: Number(lastDone - (lastWarmup ?? lastDone)) / 1e9, latencies };
}

/** Frames per second over timed replays together: all their frames over all their seconds. */
export function timedReplayFps(replays: readonly TimedReplay[]): number {
  const frames = replays.reduce((n, r) => n + r.latencies.length, 0);
  const seconds = replays.reduce((s, r) => s + r.seconds, 0);
  return frames / Math.max(seconds, 1e-9);
}
