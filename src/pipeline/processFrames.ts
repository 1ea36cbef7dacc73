import { map, mergeMap, type Observable } from 'rxjs';
import type { FrameSource } from '../sources/frameSource.js';
import type { CameraFrame } from '../sources/cameraFrame.js';
import type { FrameResult } from './frameResult.js';
import { restoreOrder } from './restoreOrder.js';

/** Moments of a frame's processing that a scheduler may want to know about. */
export interface FrameHooks {
  /** The frame is decoded and preprocessed; its model starts now. Not called for a frame that failed before. */
  onInferenceStart?: () => void;
}

/**
 * Turns one frame into its result. Per-frame failures are returned in the result, not thrown;
 * a fatal failure (`fatalError()`: the model's thread died, its session is unusable) rejects,
 * and the pipeline ends with it on the error channel.
 */
export interface FrameStage {
  process(frame: CameraFrame, hooks?: FrameHooks): Promise<FrameResult>;
}

/** Options of {@link processFrames}. */
export interface ProcessFramesOptions {
  /**
   * Frames in flight. Default 2: the next frame is decoded and preprocessed while the current
   * one is in inference. Results keep the source's order because inference runs first come,
   * first served (SsdDetector queues its runs), and restoreOrder() holds a frame that failed fast
   * until the ones before it are out.
   */
  concurrency?: number;
}

/** One frame's end: its result, or the fatal failure that ends the pipeline. */
type Outcome = { readonly result: FrameResult } | { readonly fatal: unknown };

/**
 * The pipeline for ordered sources (bags, files): every frame is processed, in order, and the
 * source is told when each is done so it reads only a little ahead. A fatal failure of the
 * stage ends the stream with that error once the frames before the failing one are out;
 * unsubscribing stops the source's reading.
 */
export function processFrames(
  source: FrameSource,
  stage: FrameStage,
  options: ProcessFramesOptions = {},
): Observable<FrameResult> {
  return source.frames.pipe(
    mergeMap(async (frame, index) => {
      try {
        return [index, { result: await stage.process(frame) }] as const;
      } catch (error) {
        // Held in order like a result: the frames before this one (their models already ran)
        // still come out, then the stream ends with the error.
        return [index, { fatal: error }] as const;
      } finally {
        source.frameDone();
      }
    }, options.concurrency ?? 2),
    restoreOrder<Outcome>(),
    map((outcome) => {
      if ('fatal' in outcome) throw outcome.fatal;
      return outcome.result;
    }),
  );
}
