import { mergeMap, type Observable } from 'rxjs';
import type { FrameSource } from '../sources/frameSource.js';
import type { CameraFrame } from '../sources/cameraFrame.js';
import type { FrameResult } from './frameResult.js';
import { restoreOrder } from './restoreOrder.js';

/** Moments of a frame's processing that a scheduler may want to know about. */
export interface FrameHooks {
  /** The frame is decoded and preprocessed; its model starts now. Not called for a frame that failed before. */
  onInferenceStart?: () => void;
}

/** Turns one frame into its result. Per-frame failures are returned in the result, not thrown. */
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

/**
 * The pipeline for ordered sources (bags, files): every frame is processed, in order, and the
 * source is told when each is done so it reads only a little ahead.
 */
export function processFrames(
  source: FrameSource,
  stage: FrameStage,
  options: ProcessFramesOptions = {},
): Observable<FrameResult> {
  return source.frames.pipe(
    mergeMap(async (frame, index) => {
      try {
        return [index, await stage.process(frame)] as const;
      } finally {
        source.frameDone();
      }
    }, options.concurrency ?? 2),
    restoreOrder(),
  );
}
