import type { ObjectDetection } from '../detection/objectDetection.js';
import type { FaceResult, FaceTimings } from '../faces/faceResult.js';
import type { CameraFrame } from '../sources/cameraFrame.js';
import type { TrackIdentity } from '../tracking/trackIdentities.js';

/** Milliseconds spent in each stage of one frame. */
export interface StageTimings {
  decodeMs: number;
  preprocessMs: number;
  inferenceMs: number;
  postprocessMs: number;
}

/** A person track's voted identity (see TrackIdentities). */
export interface TrackName extends TrackIdentity {
  readonly trackId: string;
}

/** What the pipeline made of one frame: plain data, no native handles. */
export interface FrameResult {
  readonly frame: CameraFrame;
  /** Source image size in pixels (0 when the frame failed before decoding). */
  readonly width: number;
  readonly height: number;
  readonly detections: readonly ObjectDetection[];
  /** The face branch's faces; undefined when the face branch is off. */
  readonly faces?: readonly FaceResult[];
  /**
   * The voted names of this frame's person tracks that have one (tracking and the face branch
   * on), also of those whose face is not visible in this frame.
   */
  readonly trackIdentities?: readonly TrackName[];
  /** Per-stage times of the face branch, when it ran. */
  readonly faceTimings?: FaceTimings;
  /** Set when this frame failed; the pipeline goes on with the next one. */
  readonly error?: Error;
  readonly timings: StageTimings;
}
