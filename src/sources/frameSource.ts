import type { Observable } from 'rxjs';
import type { CameraFrame } from './cameraFrame.js';

/**
 * Where frames come from: ROS topics, a bag, image files. The pipeline subscribes to
 * `frames`, and calls `frameDone()` once per frame when that frame's result is out; a source
 * that reads from storage (a bag, files) uses it to read only a little ahead, so memory stays
 * flat however long the recording, and allows one subscription at a time (see ReadAheadFrames).
 * Live sources ignore it. Unsubscribing from `frames` stops the reading and releases what the
 * subscription held.
 */
export interface FrameSource {
  readonly frames: Observable<CameraFrame>;
  frameDone(): void;
  close(): Promise<void>;
}
