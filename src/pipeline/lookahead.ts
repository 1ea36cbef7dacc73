/** Clock and timer of {@link Lookahead}; tests give their own. */
export interface LookaheadClock {
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

const systemClock: LookaheadClock = {
  now: () => performance.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/** Options of {@link Lookahead}. */
export interface LookaheadOptions {
  /** Weight of the newest duration in the running averages, in (0, 1]. Default 0.2. */
  smoothing?: number;
  /** Start the next frame this much earlier than the estimate says. Default 1 ms. */
  marginMs?: number;
  /**
   * And earlier by this many standard deviations of (rest - preparation), from running
   * variances: a frame whose preparation runs long, or whose model finishes early, would
   * otherwise leave the model idle. Default 2.
   */
  jitterSigmas?: number;
  clock?: LookaheadClock;
}

/** One frame's timeline, from {@link Lookahead.begin}. */
export interface LookaheadFrame {
  /** The frame's model has started: from here on, what is left of it is predictable. */
  inferenceStarted(): void;
  /** The frame is done (or failed): releases its slot if that has not happened yet. */
  done(): void;
}

/**
 * Decides when a live pipeline with one processing slot starts the next frame: late enough
 * that the next frame is the freshest one available, early enough that its preparation
 * (decoding, resizing) overlaps the end of the current frame instead of following it. With
 * running averages of a frame's preparation time P (start to inference) and of the rest R
 * (inference to done), the slot is released R - P - k·σ - margin after the current frame's
 * inference starts, σ the running standard deviation of R - P; the next frame is then ready as
 * the model becomes free, also when this frame's times stray from the averages.
 *
 * Starting the next frame as soon as inference starts would also keep the model busy, but the
 * next frame would then wait for the model for most of an inference time, and that wait is
 * latency (4 cameras at 30 fps: p95 62-65 ms with two frames in flight, 45-55 ms with one and
 * this lookahead).
 * Until a frame has been timed, the slot is released only when the frame is done.
 */
export class Lookahead {
  private prep: RunningStats | undefined;
  private rest: RunningStats | undefined;
  private readonly smoothing: number;
  private readonly marginMs: number;
  private readonly jitterSigmas: number;
  /** Whether a frame is at the model (timed from its start there until done). */
  private modelBusy = false;
  /** Frames ready for the model while it was busy, in order: each starts when it frees. */
  private readonly waiting: (() => void)[] = [];
  private readonly clock: LookaheadClock;

  constructor(options: LookaheadOptions = {}) {
    this.smoothing = options.smoothing ?? 0.2;
    this.marginMs = options.marginMs ?? 1;
    this.jitterSigmas = options.jitterSigmas ?? 2;
    this.clock = options.clock ?? systemClock;
    if (!(this.smoothing > 0 && this.smoothing <= 1))
      throw new RangeError(`'smoothing' must be in (0, 1], got ${this.smoothing}`);
    if (!(this.marginMs >= 0))
      throw new RangeError(`'marginMs' must be >= 0, got ${this.marginMs}`);
    if (!(this.jitterSigmas >= 0))
      throw new RangeError(`'jitterSigmas' must be >= 0, got ${this.jitterSigmas}`);
  }

  /** How long after a frame's inference starts the next frame starts; undefined before any timing. */
  get releaseDelayMs(): number | undefined {
    const { prep, rest } = this;
    if (prep === undefined || rest === undefined) return undefined;
    const jitter = this.jitterSigmas * Math.sqrt(prep.variance + rest.variance);
    return Math.max(0, rest.mean - prep.mean - jitter - this.marginMs);
  }

  /** A frame starts now; `release` gives its slot to the next frame (called at most once). */
  begin(release: () => void): LookaheadFrame {
    const { clock } = this;
    const started = clock.now();
    let ready = false;
    let inferenceAt: number | undefined;
    let timer: unknown;
    let released = false;
    let finished = false;
    let queued: (() => void) | undefined;
    const releaseOnce = (): void => {
      if (released) return;
      released = true;
      if (timer !== undefined) clock.clearTimer(timer);
      release();
    };
    const startModel = (delay: number | undefined): void => {
      this.modelBusy = true;
      inferenceAt = clock.now();
      if (delay !== undefined) timer = clock.setTimer(releaseOnce, delay);
    };
    return {
      inferenceStarted: () => {
        if (ready || released) return;
        ready = true;
        // The delay uses the averages before this frame's preparation joins them.
        const delay = this.releaseDelayMs;
        this.prep = this.update(this.prep, clock.now() - started);
        // The model is still on the frame before: this one waits for it, and so does its
        // timing. Otherwise a frame released early would release the next one while it
        // waits, and frames would pile up in front of the model.
        if (this.modelBusy) {
          queued = () => startModel(delay);
          this.waiting.push(queued);
        } else {
          startModel(delay);
        }
      },
      done: () => {
        if (finished) return;
        finished = true;
        releaseOnce();
        if (inferenceAt === undefined) {
          // Failed before reaching the model, or while waiting for it: leave the queue.
          if (queued !== undefined) this.waiting.splice(this.waiting.indexOf(queued), 1);
          return;
        }
        this.rest = this.update(this.rest, clock.now() - inferenceAt);
        this.modelBusy = false;
        this.waiting.shift()?.();
      },
    };
  }

  /** Exponentially weighted mean and variance (West's incremental form). */
  private update(previous: RunningStats | undefined, sample: number): RunningStats {
    if (previous === undefined) return { mean: sample, variance: 0 };
    const a = this.smoothing;
    const diff = sample - previous.mean;
    return {
      mean: previous.mean + a * diff,
      variance: (1 - a) * (previous.variance + a * diff * diff),
    };
  }
}

interface RunningStats {
  readonly mean: number;
  readonly variance: number;
}
