import assert from 'node:assert/strict';
import { TestScheduler } from 'rxjs/testing';
import { restoreOrder } from '../../src/pipeline/restoreOrder.js';

describe('restoreOrder', () => {
  const scheduler = (): TestScheduler =>
    new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));

  it('emits in index order, holding early arrivals', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold<readonly [number, string]>('a-b-c---(d|)', {
        a: [1, 'B'],
        b: [0, 'A'],
        c: [3, 'D'],
        d: [2, 'C'],
      });
      expectObservable(source.pipe(restoreOrder())).toBe('--(ab)--(cd|)', {
        a: 'A',
        b: 'B',
        c: 'C',
        d: 'D',
      });
    });
  });

  it('passes values straight through when they already come in order, and forwards errors', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold<readonly [number, string]>('-a-b-#', { a: [0, 'A'], b: [1, 'B'] });
      expectObservable(source.pipe(restoreOrder())).toBe('-a-b-#', { a: 'A', b: 'B' });
    });
  });
});
