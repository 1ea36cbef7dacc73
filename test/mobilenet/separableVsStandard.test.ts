import assert from 'node:assert/strict';
import { mobilenetCost } from '../../src/mobilenet/mobilenetCost.js';
import { mobilenetV1 } from '../../src/mobilenet/mobilenetV1.js';
import {
  separableCostRatio,
  separableVsStandard,
} from '../../src/mobilenet/separableVsStandard.js';

describe('separableCostRatio', () => {
  it('is 1/N + 1/D_K^2', () => {
    assert.equal(separableCostRatio(3, 512), 1 / 512 + 1 / 9);
    assert.equal(separableCostRatio(1, 1), 2);
  });

  it('rejects non-positive or fractional sizes', () => {
    assert.throws(() => separableCostRatio(0, 64), {
      name: 'RangeError',
      message: "'kernel' must be a positive integer, got 0",
    });
    assert.throws(() => separableCostRatio(3, 2.5), {
      name: 'RangeError',
      message: "'outChannels' must be a positive integer, got 2.5",
    });
  });
});

describe('separableVsStandard', () => {
  it('matches the closed form for every block, strided ones included, at several alphas and resolutions', () => {
    for (const [alpha, resolution] of [
      [1, 224],
      [0.75, 160],
      [0.25, 64],
    ] as const) {
      const blocks = separableVsStandard(mobilenetV1({ alpha, resolution }));
      assert.equal(blocks.length, 13);
      for (const b of blocks)
        assert.ok(
          Math.abs(b.ratio - b.formula) < 1e-12,
          `block ${b.block}: ${b.ratio} vs ${b.formula}`,
        );
    }
  });

  it("adds up to the standard network's cost, block by block", () => {
    const blocks = separableVsStandard(mobilenetV1());
    const standard = mobilenetCost(mobilenetV1({ convolution: 'standard' }));
    const separable = mobilenetCost(mobilenetV1());
    const outside = separable.byType.conv3x3.multAdds + separable.byType.fc.multAdds;
    assert.equal(
      blocks.reduce((a, b) => a + b.standardMultAdds, 0) + outside,
      standard.totals.multAdds,
    );
    assert.equal(
      blocks.reduce((a, b) => a + b.separableMultAdds, 0) + outside,
      separable.totals.multAdds,
    );
  });

  it("spans the paper's '8 to 9 times less computation' at alpha 1", () => {
    const speedups = separableVsStandard(mobilenetV1()).map((b) => 1 / b.ratio);
    assert.ok(Math.min(...speedups) > 7.8 && Math.max(...speedups) < 9);
  });

  it('refuses a standard-convolution architecture', () => {
    assert.throws(() => separableVsStandard(mobilenetV1({ convolution: 'standard' })), {
      name: 'RangeError',
      message: "'convolution' must be 'separable' to compare blocks, got 'standard'",
    });
  });
});
