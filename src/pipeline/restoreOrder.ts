import { Observable, type OperatorFunction } from 'rxjs';

/**
 * Re-emits `[index, value]` pairs as values in index order (0, 1, 2, ...), holding early
 * arrivals until the ones before them are out. For concurrent stages whose results can finish
 * out of order (a frame that fails fast overtakes one still in inference).
 */
export function restoreOrder<T>(): OperatorFunction<readonly [number, T], T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const waiting = new Map<number, T>();
      let next = 0;
      return source.subscribe({
        next: ([index, value]) => {
          waiting.set(index, value);
          while (waiting.has(next)) {
            const ready = waiting.get(next) as T;
            waiting.delete(next);
            next++;
            subscriber.next(ready);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
