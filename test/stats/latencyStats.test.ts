import assert from 'node:assert/strict';
import { percentile, summarizeLatencies } from '../../src/stats/latencyStats.js';

describe('percentile', () => {
  it('interpolates between the nearest ranks', () => {
    const sorted = [1, 2, 3, 4];
    assert.equal(percentile(sorted, 0), 1);
    assert.equal(percentile(sorted, 50), 2.5);
    assert.equal(percentile(sorted, 100), 4);
    assert.ok(Math.abs(percentile(sorted, 95) - 3.85) < 1e-12);
    assert.equal(percentile([7], 95), 7);
  });

  it('rejects no samples and p outside [0, 100]', () => {
    assert.throws(() => percentile([], 50), {
      name: 'RangeError',
      message: "'samples' must not be empty",
    });
    assert.throws(() => percentile([1], 101), {
      name: 'RangeError',
      message: "'p' must be in [0, 100], got 101",
    });
  });
});

describe('summarizeLatencies', () => {
  it('sorts and summarises', () => {
    const s = summarizeLatencies([5, 1, 3, 2, 4]);
    assert.deepEqual(s, { runs: 5, min: 1, p50: 3, p95: 4.8, max: 5, mean: 3 });
  });

  it('rejects negative or non-finite samples', () => {
    assert.throws(
      () => summarizeLatencies([1, -1]),
      /latency samples must be finite and >= 0, got -1/,
    );
    assert.throws(() => summarizeLatencies([Number.NaN]), RangeError);
  });
});
