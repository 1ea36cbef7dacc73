import assert from 'node:assert/strict';
import { TestScheduler } from 'rxjs/testing';
import { latestPerCamera } from '../../src/pipeline/latestPerCamera.js';

describe('latestPerCamera', () => {
  const scheduler = (): TestScheduler =>
    new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
  const camera = (v: string): string => v[0] ?? '';

  it('keeps only the newest waiting value of a camera, reports the replaced one, and finishes what waits before completing', () => {
    scheduler().run(({ cold, expectObservable, flush }) => {
      const dropped: string[] = [];
      const source = cold('abc----|', { a: 'x1', b: 'x2', c: 'x3' });
      const result = source.pipe(
        latestPerCamera((v: string) => cold('---(r|)', { r: v }), {
          key: camera,
          onDrop: (v) => dropped.push(v),
        }),
      );
      expectObservable(result).toBe('---a--c|', { a: 'x1', c: 'x3' });
      flush();
      assert.deepEqual(dropped, ['x2']);
    });
  });

  it('serves cameras round-robin, so a flooding camera cannot starve another', () => {
    scheduler().run(({ cold, expectObservable, flush }) => {
      const dropped: string[] = [];
      const source = cold('(abcd)-e----|', { a: 'x1', b: 'x2', c: 'y1', d: 'x3', e: 'y2' });
      const result = source.pipe(
        latestPerCamera((v: string) => cold('--(r|)', { r: v }), {
          key: camera,
          onDrop: (v) => dropped.push(v),
        }),
      );
      // y1 goes before x3 although x3 arrived while y1 waited.
      expectObservable(result).toBe('--a-b-c--d--|', { a: 'x1', b: 'y1', c: 'x3', d: 'y2' });
      flush();
      assert.deepEqual(dropped, ['x2']);
    });
  });

  it('runs up to `concurrency` values at once', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('(abc)---|', { a: 'x1', b: 'y1', c: 'z1' });
      const result = source.pipe(
        latestPerCamera((v: string) => cold('----(r|)', { r: v }), { key: camera, concurrency: 2 }),
      );
      expectObservable(result).toBe('----(ab)(c|)', { a: 'x1', b: 'y1', c: 'z1' });
    });
  });

  it('forwards errors, and unsubscribing tears down the running inner and the source', () => {
    scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const failing = cold('a--|', { a: 'x1' }).pipe(
        latestPerCamera(() => cold('-#'), { key: camera }),
      );
      expectObservable(failing).toBe('-#');
      const source = hot('a----', { a: 'x1' });
      const inner = cold('-----(r|)', { r: 'done' });
      const result = source.pipe(latestPerCamera(() => inner, { key: camera }));
      expectObservable(result, '^--!').toBe('---');
      expectSubscriptions(inner.subscriptions).toBe('^--!');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('refuses a concurrency below 1', () => {
    assert.throws(
      () => latestPerCamera(() => [], { key: camera, concurrency: 0 }),
      /'concurrency' must be an integer >= 1, got 0/,
    );
  });
});
