import { pipe, tap, type ObservableInput, type OperatorFunction } from 'rxjs';
import { latestPerCamera } from './latestPerCamera.js';
import { maxRatePerCamera } from './maxRatePerCamera.js';

/** Options of {@link cameraGate}; the callbacks count what happens to each camera's frames. */
export interface CameraGateOptions<T> {
  /** The camera a frame comes from. */
  readonly camera: (frame: T) => string;
  /** The camera's rate limit in frames per second, read per frame (0: none). */
  readonly maxRateHz: (camera: string) => number;
  /** Frames processed at once across all cameras. */
  readonly concurrency: number;
  readonly onReceived: (camera: string) => void;
  /** Skipped by the camera's rate limit. */
  readonly onRateLimited: (camera: string) => void;
  /** Replaced by a newer frame of its camera while it waited. */
  readonly onDropped: (camera: string) => void;
}

/**
 * The way from live camera frames to processing: count each frame, apply the camera's rate
 * limit, then the latest-per-camera gate (a waiting frame is replaced by a newer one of its
 * camera; cameras are served fairly). `process` gets `release`, which lets the next frame start
 * before this one has finished (see latestPerCamera).
 */
export function cameraGate<T, R>(
  process: (frame: T, camera: string, release: () => void) => ObservableInput<R>,
  options: CameraGateOptions<T>,
): OperatorFunction<T, R> {
  const { camera } = options;
  return pipe(
    tap((frame: T) => options.onReceived(camera(frame))),
    maxRatePerCamera<T>({
      key: camera,
      maxRateHz: options.maxRateHz,
      onSkip: (frame) => options.onRateLimited(camera(frame)),
    }),
    latestPerCamera((frame: T, release) => process(frame, camera(frame), release), {
      key: camera,
      concurrency: options.concurrency,
      onDrop: (frame) => options.onDropped(camera(frame)),
    }),
  );
}
