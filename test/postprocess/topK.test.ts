import assert from 'node:assert/strict';
import { softmax, topK } from '../../src/postprocess/topK.js';

describe('softmax', () => {
  it('matches the definition and sums to 1', () => {
    const p = softmax([1, 2, 3]);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    [1, 2, 3].forEach((v, i) => assert.ok(Math.abs((p[i] ?? 0) - Math.exp(v) / z) < 1e-7));
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-6);
  });

  it('is stable for large logits and shift-invariant', () => {
    const big = softmax(Float32Array.of(1000, 1001, 1002));
    const small = softmax([0, 1, 2]);
    assert.ok(big.every((v) => Number.isFinite(v)));
    for (let i = 0; i < 3; i++) assert.ok(Math.abs((big[i] ?? 0) - (small[i] ?? 0)) < 1e-6);
    assert.deepEqual([...softmax([-1e30, 0])], [0, 1]);
  });

  it('rejects an empty vector and non-finite logits, quoting the index', () => {
    assert.throws(() => softmax([]), { name: 'RangeError', message: "'logits' must not be empty" });
    assert.throws(() => softmax([0, Number.NaN]), {
      name: 'RangeError',
      message: "'logits' must be finite, got NaN at index 1",
    });
    assert.throws(() => softmax([Number.POSITIVE_INFINITY]), /got Infinity at index 0/);
  });
});

describe('topK', () => {
  const scores = Float32Array.of(0.1, 0.4, 0.05, 0.4, 0.05);

  it('returns the k best, highest first, ties in index order', () => {
    assert.deepEqual(
      topK(scores, 3).map((r) => r.index),
      [1, 3, 0],
    );
    assert.equal(topK(scores, 1)[0]?.score, scores[1]);
    assert.deepEqual(topK([3, 1, 2], 2), [
      { index: 0, score: 3 },
      { index: 2, score: 2 },
    ]);
  });

  it('returns everything, sorted, when k exceeds the length, and nothing for no scores', () => {
    assert.deepEqual(
      topK(scores, 10).map((r) => r.index),
      [1, 3, 0, 2, 4],
    );
    assert.deepEqual(topK([], 5), []);
  });

  it('agrees with a full sort on a larger vector', () => {
    const values = Array.from(
      { length: 1000 },
      (_, i) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453),
    );
    const expected = values
      .map((score, index) => ({ index, score }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, 5);
    assert.deepEqual(topK(values, 5), expected);
  });

  it('handles negative and infinite scores', () => {
    assert.deepEqual(
      topK([-5, Number.NEGATIVE_INFINITY, -1, Number.POSITIVE_INFINITY], 2).map((r) => r.index),
      [3, 2],
    );
  });

  it('rejects a bad k and NaN scores', () => {
    assert.throws(() => topK(scores, 0), {
      name: 'RangeError',
      message: "'k' must be an integer >= 1, got 0",
    });
    assert.throws(() => topK(scores, 1.5), /'k' must be an integer >= 1, got 1.5/);
    assert.throws(() => topK([1, Number.NaN], 1), {
      name: 'RangeError',
      message: "'scores' must not contain NaN, got NaN at index 1",
    });
  });
});
