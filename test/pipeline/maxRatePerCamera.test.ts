import assert from 'node:assert/strict';
import { TestScheduler } from 'rxjs/testing';
import { maxRatePerCamera } from '../../src/pipeline/maxRatePerCamera.js';

describe('maxRatePerCamera', () => {
  const scheduler = (): TestScheduler =>
    new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
  const camera = (v: string): string => v[0] ?? '';

  it('lets a camera through at most once per 1/maxRate, per camera, and reports skips', () => {
    const test = scheduler();
    test.run(({ cold, expectObservable, flush }) => {
      const skipped: string[] = [];
      // One frame = 1 ms; x is limited to 1000/3 Hz, y is unlimited.
      const source = cold('abcdef|', { a: 'x0', b: 'y1', c: 'x2', d: 'x3', e: 'y4', f: 'x5' });
      const result = source.pipe(
        maxRatePerCamera({
          key: camera,
          maxRateHz: (c) => (c === 'x' ? 1000 / 3 : 0),
          onSkip: (v) => skipped.push(v),
          scheduler: test,
        }),
      );
      expectObservable(result).toBe('ab-de-|', { a: 'x0', b: 'y1', d: 'x3', e: 'y4' });
      flush();
      assert.deepEqual(skipped, ['x2', 'x5']);
    });
  });

  it('reads the rate per value, so a change applies to the next frame', () => {
    const test = scheduler();
    test.run(({ cold, expectObservable }) => {
      let rate = 0;
      const source = cold('abcd|', { a: 'x0', b: 'x1', c: 'x2', d: 'x3' });
      const result = source.pipe(
        maxRatePerCamera({ key: camera, maxRateHz: () => rate, scheduler: test }),
      );
      // From frame 2 on, 100 Hz: x2 and x3 come too soon after x1.
      test.schedule(() => (rate = 100), 2);
      expectObservable(result).toBe('ab--|', { a: 'x0', b: 'x1' });
    });
  });
});
