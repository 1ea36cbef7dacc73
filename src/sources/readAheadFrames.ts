import { Observable } from 'rxjs';
import type { CameraFrame } from './cameraFrame.js';

/** Options of {@link ReadAheadFrames}. */
export interface ReadAheadFramesOptions {
  /** What is read, for messages (e.g. `frames of /data/run.mcap`). */
  readonly name: string;
  /** Frames handed out and not yet done. Default 2. */
  readonly readAhead?: number;
  /**
   * Starts one pass over the frames. Called once per subscription; the pass is ended with its
   * iterator's `return()` when the subscriber unsubscribes, so a reader's pass (and what it
   * holds: a file stream, a database copy) is released then, not when the storage runs out.
   */
  readonly read: () => AsyncIterable<CameraFrame>;
}

/**
 * The frames of a source that reads from storage (a bag, image files), paced by the pipeline:
 * at most `readAhead` frames are out and not yet done (`frameDone()`), so memory stays flat
 * however long the input.
 *
 * One subscription at a time. `frameDone()` does not say whose frame is done (the pipeline calls
 * it once per frame, see processFrames), so two concurrent subscribers could not be told apart:
 * one's done frames would let the other read ahead without bound, or one would stall waiting for
 * the other. A second concurrent subscription therefore fails on its error channel; a new
 * subscription after the previous one ended starts a new pass with fresh credits.
 */
export class ReadAheadFrames {
  readonly frames: Observable<CameraFrame>;
  #active: Credits | undefined;

  constructor(options: ReadAheadFramesOptions) {
    const readAhead = options.readAhead ?? 2;
    if (!Number.isInteger(readAhead) || readAhead < 1) {
      throw new RangeError(`'readAhead' must be an integer >= 1, got ${readAhead}`);
    }
    this.frames = new Observable<CameraFrame>((subscriber) => {
      if (this.#active !== undefined) {
        subscriber.error(
          new Error(
            `${options.name} are already being read by another subscriber; a source paces ` +
              `one reader at a time (frameDone() cannot tell two apart): subscribe again once ` +
              `that subscription has ended, or open a second source`,
          ),
        );
        return;
      }
      const credits = new Credits(readAhead);
      this.#active = credits;
      const iterator = options.read()[Symbol.asyncIterator]();
      // Ends the pass before the subscriber hears of the end, so that it may subscribe again.
      const release = async (): Promise<void> => {
        try {
          await iterator.return?.();
        } finally {
          if (this.#active === credits) this.#active = undefined;
        }
      };
      const run = async (): Promise<void> => {
        for (;;) {
          // A credit before the read: the frame is not even read until the pipeline has room.
          if (!(await credits.take())) return release();
          const next = await iterator.next();
          if (credits.stopped) return release();
          if (next.done === true) {
            await release();
            subscriber.complete();
            return;
          }
          subscriber.next(next.value);
        }
      };
      run().catch((error: unknown) => {
        // The pass failed (its iterator is finished), or ending it did.
        if (this.#active === credits) this.#active = undefined;
        subscriber.error(error);
      });
      return () => credits.stop();
    });
  }

  /** One frame handed out is done: the current subscription may read one more. */
  frameDone(): void {
    this.#active?.give();
  }
}

/** The read-ahead credits of one subscription. */
class Credits {
  stopped = false;
  #available: number;
  #wake: (() => void) | undefined;

  constructor(private readonly limit: number) {
    this.#available = limit;
  }

  /** Waits for a credit and takes it; false once stopped. */
  async take(): Promise<boolean> {
    while (this.#available <= 0 && !this.stopped) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    if (this.stopped) return false;
    this.#available--;
    return true;
  }

  /** Returns a credit; never more than the limit (a stray call cannot widen the read-ahead). */
  give(): void {
    this.#available = Math.min(this.limit, this.#available + 1);
    this.#wakeUp();
  }

  stop(): void {
    this.stopped = true;
    this.#wakeUp();
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
