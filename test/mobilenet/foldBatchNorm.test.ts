import assert from 'node:assert/strict';
import { foldBatchNorm } from '../../src/mobilenet/foldBatchNorm.js';

const f32 = (...values: number[]): Float32Array => Float32Array.from(values);

describe('foldBatchNorm', () => {
  it('scales each output channel and turns the shift into a bias', () => {
    // Two output channels of two weights each.
    const folded = foldBatchNorm(f32(1, 2, 3, 4), {
      gamma: f32(2, 1),
      beta: f32(0.5, -1),
      mean: f32(1, 2),
      variance: f32(3, 0),
      epsilon: 1,
    });
    // s = [2 / sqrt(3 + 1), 1 / sqrt(0 + 1)] = [1, 1]: weights unchanged, bias = beta - mean.
    assert.deepEqual([...folded.weights], [1, 2, 3, 4]);
    assert.deepEqual([...folded.bias], [0.5 - 1, -1 - 2]);
    const halved = foldBatchNorm(f32(1, 2, 3, 4), {
      gamma: f32(1, 1),
      beta: f32(0, 0),
      mean: f32(0, 4),
      variance: f32(3, 3),
      epsilon: 1,
    });
    assert.deepEqual([...halved.weights], [0.5, 1, 1.5, 2]);
    assert.deepEqual([...halved.bias], [0, -2]);
  });

  it('leaves its inputs unchanged', () => {
    const w = f32(1, 2);
    foldBatchNorm(w, {
      gamma: f32(3),
      beta: f32(0),
      mean: f32(0),
      variance: f32(1),
      epsilon: 1e-3,
    });
    assert.deepEqual([...w], [1, 2]);
  });

  it('rejects mismatched sizes and a non-positive epsilon', () => {
    const bn = {
      gamma: f32(1, 1),
      beta: f32(0, 0),
      mean: f32(0, 0),
      variance: f32(1, 1),
      epsilon: 1e-3,
    };
    assert.throws(() => foldBatchNorm(f32(1, 2, 3), bn), {
      name: 'RangeError',
      message: "'weights' must hold a whole number of filters for 2 output channels, got 3 values",
    });
    assert.throws(() => foldBatchNorm(f32(1, 2), { ...bn, mean: f32(0) }), {
      name: 'RangeError',
      message: "'mean' must have 2 values (one per output channel), got 1",
    });
    assert.throws(
      () => foldBatchNorm(f32(1, 2), { ...bn, epsilon: 0 }),
      /'epsilon' must be > 0, got 0/,
    );
  });
});
