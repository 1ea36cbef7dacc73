import assert from 'node:assert/strict';
import { ignoreElements, merge, tap, timer } from 'rxjs';
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

  it('a flooding camera cannot starve another: no camera is served twice more than a waiting one', () => {
    scheduler().run(({ cold, expectObservable, flush }) => {
      const dropped: string[] = [];
      const source = cold('ab-c-d-e-----|', { a: 'x1', b: 'y1', c: 'x2', d: 'x3', e: 'x4' });
      const result = source.pipe(
        latestPerCamera((v: string) => cold('----(r|)', { r: v }), {
          key: camera,
          onDrop: (v) => dropped.push(v),
        }),
      );
      // At 4 x2 is fresher than y1 and x is one turn ahead: allowed. At 8 x is two ahead: y1 goes.
      expectObservable(result).toBe('----a---b---c---(d|)', { a: 'x1', b: 'x2', c: 'y1', d: 'x4' });
      flush();
      assert.deepEqual(dropped, ['x3']);
    });
  });

  it('takes the freshest waiting value among the cameras not too far ahead', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // x1 runs 0-5; y1, z1, w1 wait: w1, the freshest, goes at 5. At 10 x2 (one ahead) is the
      // freshest; at 15 x is two ahead, so z1 then y1.
      const source = cold('a-bcd-e-------|', { a: 'x1', b: 'y1', c: 'z1', d: 'w1', e: 'x2' });
      const result = source.pipe(
        latestPerCamera((v: string) => cold('-----(r|)', { r: v }), { key: camera }),
      );
      expectObservable(result).toBe('-----a----b----c----d----(e|)', {
        a: 'x1',
        b: 'w1',
        c: 'x2',
        d: 'z1',
        e: 'y1',
      });
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

  it('release() gives the slot to the next value before completion, once however often it is called', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // Each value releases its slot at 2 and again at 3 after it starts, and completes at 5.
      // x1 runs 0-5 and releases at 2: y1 starts at 2. x1's second release (3) must not start
      // z1, which arrived at 3; y1's release at 4 does.
      const source = cold('ab-c|', { a: 'x1', b: 'y1', c: 'z1' });
      const result = source.pipe(
        latestPerCamera(
          (v: string, release) =>
            merge(
              timer(2).pipe(tap(release), ignoreElements()),
              timer(3).pipe(tap(release), ignoreElements()),
              cold('-----(r|)', { r: v }),
            ),
          { key: camera },
        ),
      );
      expectObservable(result).toBe('-----a-b-(c|)', { a: 'x1', b: 'y1', c: 'z1' });
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
