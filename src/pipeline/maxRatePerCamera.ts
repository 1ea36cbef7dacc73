import {
  asyncScheduler,
  defer,
  filter,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';

/** Options of {@link maxRatePerCamera}. */
export interface MaxRatePerCameraOptions<T> {
  /** The camera a value belongs to. */
  key: (value: T) => string;
  /** The camera's current maximum rate in Hz; 0 or less lets everything through. Read per value, so it can change at run time. */
  maxRateHz: (camera: string) => number;
  /** Called with each value skipped because its camera is over its rate. */
  onSkip?: (skipped: T) => void;
  /** Clock. Default asyncScheduler (Date.now). */
  scheduler?: SchedulerLike;
}

/**
 * Lets a camera's value through only when at least 1/maxRate seconds have passed since the
 * last one let through for that camera. Unlike throttleTime it keys per camera and reads the
 * rate per value, so a parameter change applies to the next frame.
 */
export function maxRatePerCamera<T>(
  options: MaxRatePerCameraOptions<T>,
): MonoTypeOperatorFunction<T> {
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) =>
    defer(() => {
      // Per subscription, so two subscribers do not share their timing.
      const last = new Map<string, number>();
      return source.pipe(
        filter((value) => {
          const camera = options.key(value);
          const rate = options.maxRateHz(camera);
          const now = scheduler.now();
          const previous = last.get(camera);
          // A little slack, so a camera at exactly the maximum rate is not halved by jitter.
          if (rate > 0 && previous !== undefined && now - previous < (1000 / rate) * 0.95) {
            options.onSkip?.(value);
            return false;
          }
          last.set(camera, now);
          return true;
        }),
      );
    });
}
