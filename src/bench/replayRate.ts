import path from 'node:path';
import { runReplay } from '../replay/runReplay.js';
import type { AppConfig } from '../config/detectorConfig.js';
import { sampleTopics } from '../sample/sampleRecording.js';

/** Frames and the seconds they took. */
export interface Rate {
  readonly frames: number;
  readonly seconds: number;
}

export const fpsOf = (r: Rate): number => r.frames / Math.max(r.seconds, 1e-9);

/** Frames/s over several measurements: all their frames over all their seconds. */
export function overallFps(rates: readonly Rate[]): number {
  return fpsOf({
    frames: rates.reduce((n, r) => n + r.frames, 0),
    seconds: rates.reduce((n, r) => n + r.seconds, 0),
  });
}

/** Options of {@link replayRate}. */
export interface ReplayRateOptions {
  readonly config: AppConfig;
  /** A bag of JPEG frames on the sample recording's compressed topic (writeSampleRecording, rawCamera false). */
  readonly bag: string;
  /** Folder for the output bag (overwritten each time). */
  readonly dir: string;
  /** Frames at the start that are not timed. */
  readonly warmup: number;
  /** Frames timed after the warm-up. */
  readonly frames: number;
  /** Stops the replay early (its Rate then covers what was done). */
  readonly signal?: AbortSignal;
}

/**
 * `replay`'s frames/s on a bag of JPEG frames: the full path (read, decode, inference,
 * serialise, write), timed from the last warm-up frame written to the last timed one, so that
 * `frames` frame intervals are timed, as for the node.
 */
export async function replayRate(options: ReplayRateOptions): Promise<Rate> {
  const { warmup, frames } = options;
  let first: bigint | undefined;
  let last = 0n;
  let timed = 0;
  await runReplay({
    bag: options.bag,
    output: path.join(options.dir, 'out.mcap'),
    force: true,
    config: options.config,
    topics: [sampleTopics.compressed],
    images: false,
    progress: undefined,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    onWritten: (result) => {
      const i = result.frame.sequence;
      const now = process.hrtime.bigint();
      if (i === warmup - 1) first = now;
      if (i >= warmup && i < warmup + frames) {
        timed++;
        last = now;
      }
    },
  });
  return { frames: timed, seconds: Number(last - (first ?? last)) / 1e9 };
}
