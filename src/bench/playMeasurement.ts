/** A detection message of one played frame, as the benchmark's subscriber received it. */
export interface PlayedDetection {
  /** Position of the frame in the bag (0 = first). */
  readonly index: number;
  /** Monotonic receive time, ms. */
  readonly receivedMs: number;
}

/** What one `ros2 bag play` of `warmup + frames` frames gave. */
export interface PlayMeasurement {
  /** Timed frames played (after the warm-up). */
  readonly played: number;
  /** Timed frames whose detections arrived. */
  readonly published: number;
  /** 1 - published / played: dropped by the node, or lost before it. */
  readonly loss: number;
  /** From the last warm-up frame's detection to the last timed one's. */
  readonly seconds: number;
  /** published / seconds. */
  readonly fps: number;
}

/**
 * Frames per second the node published during one play: the timed frames (indexes from
 * `warmup` to `warmup + frames - 1`) whose detections arrived, over the time from the last
 * warm-up detection to the last timed one, as replay is timed (from its last warm-up frame).
 * When no warm-up frame came through (lost while discovery was still matching), the clock
 * starts at the first timed detection, which then is not counted.
 *
 * @throws RangeError for `warmup` < 0 or `frames` < 1 (naming the parameter).
 * @throws Error when fewer than two detections can be timed: nothing to measure.
 */
export function measurePlay(
  detections: readonly PlayedDetection[],
  options: { warmup: number; frames: number },
): PlayMeasurement {
  const { warmup, frames } = options;
  if (!Number.isInteger(warmup) || warmup < 0)
    throw new RangeError(`'warmup' must be an integer >= 0, got ${warmup}`);
  if (!Number.isInteger(frames) || frames < 1)
    throw new RangeError(`'frames' must be an integer >= 1, got ${frames}`);
  let start: number | undefined;
  const timed: number[] = [];
  for (const d of detections) {
    if (d.index < warmup) start = Math.max(start ?? -Infinity, d.receivedMs);
    else if (d.index < warmup + frames) timed.push(d.receivedMs);
  }
  timed.sort((a, b) => a - b);
  let counted = timed.length;
  if (start === undefined) {
    start = timed[0];
    counted--;
  }
  const end = timed[timed.length - 1];
  if (start === undefined || end === undefined || counted < 1 || end <= start)
    throw new Error(
      `only ${timed.length} of ${frames} timed frame(s) came back as detections: nothing to time`,
    );
  const seconds = (end - start) / 1000;
  return {
    played: frames,
    published: timed.length,
    loss: 1 - timed.length / frames,
    seconds,
    fps: counted / seconds,
  };
}
