import type { AppConfig } from '../config/detectorConfig.js';
import type { FrameResult } from '../pipeline/frameResult.js';
import { runReplay } from '../replay/runReplay.js';
import { readThreadCpu, splitCpu, type CpuSplit, type ThreadCpu } from './threadCpu.js';

/** Frames and seconds of one timed replay, with the latency of each frame. */
export interface TimedReplay {
  readonly seconds: number;
  readonly latencies: readonly number[];
  /** With `cpu`, where the CPU of those seconds went (undefined where /proc is missing). */
  readonly cpu?: CpuSplit;
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
  /**
   * Also read the CPU time of this process's threads over the timed frames (Linux). Threads the
   * replay starts count as inference, so libuv's pool should be running before (it starts with
   * the process's first asynchronous file operation, e.g. writing the input bag).
   */
  readonly cpu?: boolean;
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
  // Threads there before the replay; those it starts (its inference worker) count as inference.
  const before = options.cpu === true ? readThreadCpu() : undefined;
  let cpuStart: ThreadCpu | undefined;
  let cpuEnd: ThreadCpu | undefined;
  await runReplay({
    bag: options.bag,
    output: options.output,
    force: true,
    config: options.config,
    topics: [options.topic],
    onWritten: (result, latencyMs) => {
      const index = result.frame.sequence;
      const now = process.hrtime.bigint();
      if (index === warmup - 1) {
        lastWarmup = now;
        if (before !== undefined) cpuStart = readThreadCpu();
      }
      if (index >= warmup && index < warmup + frames) {
        latencies.push(latencyMs);
        lastDone = now;
        options.onResult?.(result);
        if (before !== undefined && index === warmup + frames - 1) cpuEnd = readThreadCpu();
      }
    },
  });
  const seconds = Number(lastDone - (lastWarmup ?? lastDone)) / 1e9;
  if (before === undefined || cpuStart === undefined || cpuEnd === undefined) {
    return { seconds, latencies };
  }
  return {
    seconds,
    latencies,
    cpu: splitCpu(new Set(before.keys()), cpuStart, cpuEnd, process.pid),
  };
}

/** Frames per second over timed replays together: all their frames over all their seconds. */
export function timedReplayFps(replays: readonly TimedReplay[]): number {
  const frames = replays.reduce((n, r) => n + r.latencies.length, 0);
  const seconds = replays.reduce((s, r) => s + r.seconds, 0);
  return frames / Math.max(seconds, 1e-9);
}
