import { from, Observable, Subscription, type ObservableInput, type OperatorFunction } from 'rxjs';

/** Options of {@link latestPerCamera}. */
export interface LatestPerCameraOptions<T> {
  /** The camera a value belongs to. */
  key: (value: T) => string;
  /** Values processed at the same time, across all cameras. Default 1. */
  concurrency?: number;
  /** Called with each value that a newer one of the same camera replaced before it was processed. */
  onDrop?: (dropped: T) => void;
}

/**
 * A gate for live sources that deliver faster than `project` can process: it holds at most one
 * waiting value per camera (the newest; an older waiting one is dropped and reported), and when
 * a processing slot frees up it takes the next camera in round-robin order, so a fast camera
 * cannot starve a slow one. Latency stays bounded by about one processing time per camera
 * instead of growing with a queue.
 *
 * Completes when the source has completed and everything taken has been processed; waiting
 * values are processed before completion. Unsubscribing discards waiting values and
 * unsubscribes the running inner observables.
 */
export function latestPerCamera<T, R>(
  project: (value: T) => ObservableInput<R>,
  options: LatestPerCameraOptions<T>,
): OperatorFunction<T, R> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`'concurrency' must be an integer >= 1, got ${concurrency}`);
  }
  return (source) =>
    new Observable<R>((subscriber) => {
      const waiting = new Map<string, T>();
      // Cameras in the order first seen; the search for the next one starts after the last served.
      const order: string[] = [];
      let lastServed: string | undefined;
      let active = 0;
      let sourceDone = false;
      const inners = new Set<Subscription>();

      const nextCamera = (): string | undefined => {
        const start = lastServed === undefined ? 0 : order.indexOf(lastServed) + 1;
        for (let i = 0; i < order.length; i++) {
          const camera = order[(start + i) % order.length] as string;
          if (waiting.has(camera)) {
            lastServed = camera;
            return camera;
          }
        }
        return undefined;
      };

      const drain = (): void => {
        while (active < concurrency && !subscriber.closed) {
          const camera = nextCamera();
          if (camera === undefined) break;
          const value = waiting.get(camera) as T;
          waiting.delete(camera);
          active++;
          // A holder made first, so a project() that completes synchronously can remove it.
          const inner = new Subscription();
          inners.add(inner);
          inner.add(
            from(project(value)).subscribe({
              next: (result) => subscriber.next(result),
              error: (error: unknown) => subscriber.error(error),
              complete: () => {
                inners.delete(inner);
                active--;
                drain();
                if (sourceDone && active === 0 && waiting.size === 0) subscriber.complete();
              },
            }),
          );
        }
      };

      const upstream = source.subscribe({
        next: (value) => {
          const camera = options.key(value);
          const previous = waiting.get(camera);
          if (previous !== undefined || waiting.has(camera)) options.onDrop?.(previous as T);
          else if (!order.includes(camera)) order.push(camera);
          waiting.set(camera, value);
          drain();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          if (active === 0 && waiting.size === 0) subscriber.complete();
        },
      });

      return () => {
        upstream.unsubscribe();
        for (const inner of inners) inner.unsubscribe();
        inners.clear();
        waiting.clear();
      };
    });
}
