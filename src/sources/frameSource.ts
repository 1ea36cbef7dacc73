import type { Observable } from 'rxjs';
import type { CameraFrame } from './cameraFrame.js';

/**
 * Where frames come from: ROS topics, a bag, image files. The pipeline subscribes to
 * `frames`, and calls `frameDone()` once per frame when that frame's result is out; a source
 * that reads from storage (a bag) uses it to read only a little ahead, so memory stays flat
 * however long the recording. Live sources ignore it.
 */
export interface FrameSource {
  readonly frames: Observable<CameraFrame>;
  frameDone(): void;
  close(): Promise<void>;
}
