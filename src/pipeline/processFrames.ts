import { concatMap, type Observable } from 'rxjs';
import type { FrameSource } from '../sources/frameSource.js';
import type { CameraFrame } from '../sources/cameraFrame.js';
import type { FrameResult } from './frameResult.js';

/** Turns one frame into its result. Per-frame failures are returned in the result, not thrown. */
export interface FrameStage {
  process(frame: CameraFrame): Promise<FrameResult>;
}

/**
 * The pipeline for ordered sources (bags, files): every frame is processed, one at a time, in
 * order, and the source is told when each is done so it reads only a little ahead.
 */
export function processFrames(source: FrameSource, stage: FrameStage): Observable<FrameResult> {
  return source.frames.pipe(
    concatMap(async (frame) => {
      try {
        return await stage.process(frame);
      } finally {
        source.frameDone();
      }
    }),
  );
}
