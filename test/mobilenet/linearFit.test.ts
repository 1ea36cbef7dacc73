import assert from 'node:assert/strict';
import { linearFit } from '../../src/mobilenet/linearFit.js';

describe('linearFit', () => {
  it('recovers an exact line with r = 1', () => {
    const fit = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
    assert.ok(
      Math.abs(fit.slope - 2) < 1e-12 &&
        Math.abs(fit.intercept - 1) < 1e-12 &&
        Math.abs(fit.r - 1) < 1e-12,
    );
  });

  it('gives r = -1 for a falling line and r = 0 for constant y', () => {
    assert.ok(Math.abs(linearFit([0, 1, 2], [2, 1, 0]).r + 1) < 1e-12);
    assert.equal(linearFit([0, 1, 2], [4, 4, 4]).r, 0);
  });

  it('fits noisy points by least squares', () => {
    const fit = linearFit([0, 1, 2, 3], [0, 1, 1, 2]);
    assert.ok(Math.abs(fit.slope - 0.6) < 1e-12);
    assert.ok(Math.abs(fit.intercept - 0.1) < 1e-12);
  });

  it('rejects too few points, unequal lengths and constant x', () => {
    assert.throws(() => linearFit([1], [1]), {
      name: 'RangeError',
      message: 'a line needs at least 2 points, got 1',
    });
    assert.throws(
      () => linearFit([1, 2], [1]),
      /'xs' and 'ys' must have the same length, got 2 and 1/,
    );
    assert.throws(() => linearFit([3, 3], [1, 2]), /'xs' must not all be equal/);
  });
});
