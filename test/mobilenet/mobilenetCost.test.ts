import assert from 'node:assert/strict';
import { mobilenetCost, type CostReport } from '../../src/mobilenet/mobilenetCost.js';
import { mobilenetV1, type MobilenetV1Options } from '../../src/mobilenet/mobilenetV1.js';

/** The paper rounds mult-adds to whole millions and parameters to one decimal of a million. */
const millions = (n: number, decimals = 0): number => Number((n / 1e6).toFixed(decimals));
const pct = (fraction: number): number => Number((fraction * 100).toFixed(2));
const cost = (options: MobilenetV1Options = {}): CostReport => mobilenetCost(mobilenetV1(options));

describe('mobilenetCost', () => {
  it('gives 1.0 MobileNet-224 569M mult-adds and 4.2M parameters (Tables 4, 6, 7, 8)', () => {
    const { totals } = cost();
    assert.equal(totals.multAdds, 568_740_352);
    assert.equal(totals.parameters, 4_209_088);
    assert.equal(millions(totals.multAdds), 569);
    assert.equal(millions(totals.parameters, 1), 4.2);
  });

  it("reproduces Table 2's shares per layer type", () => {
    const { shares } = cost();
    assert.equal(pct(shares.conv1x1.multAdds), 94.86);
    assert.equal(pct(shares.conv1x1.parameters), 74.59);
    assert.equal(pct(shares.depthwise3x3.multAdds), 3.06);
    assert.equal(pct(shares.depthwise3x3.parameters), 1.06);
    assert.equal(pct(shares.fc.multAdds), 0.18);
    assert.equal(pct(shares.fc.parameters), 24.33);
    assert.equal(pct(shares.conv3x3.parameters), 0.02);
  });

  it("finds 1.91% for the 3x3 convolution's mult-adds where Table 2 prints 1.19%", () => {
    const { shares } = cost();
    assert.equal(pct(shares.conv3x3.multAdds), 1.91);
    // The printed column sums to 99.29%; with 1.91 it sums to 100.01% (rounding).
    assert.equal(Number((94.86 + 3.06 + 1.19 + 0.18).toFixed(2)), 99.29);
    const sum = Object.values(shares).reduce((a, s) => a + s.multAdds, 0);
    assert.ok(Math.abs(sum - 1) < 1e-12);
  });

  it('counts no biases as parameters, which is what makes the FC share 24.33%', () => {
    const { byType, totals } = cost();
    // With the FC bias counted the share would be 24.35%.
    assert.equal(pct((byType.fc.parameters + 1000) / (totals.parameters + 1000)), 24.35);
    assert.equal(totals.biases, 11_944);
  });

  it("reproduces Table 3's single layer (D_K 3, M = N = 512, D_F 14)", () => {
    const layer = cost().layers.find((c) => c.layer.name === 'block7_dw');
    const pointwise = cost().layers.find((c) => c.layer.name === 'block7_pw');
    const full = cost({ convolution: 'standard' }).layers.find(
      (c) => c.layer.name === 'block7_conv',
    );
    assert.ok(layer && pointwise && full);
    assert.equal(millions(full.multAdds), 462);
    assert.equal(millions(full.parameters, 2), 2.36);
    assert.equal(millions(layer.multAdds + pointwise.multAdds, 1), 52.3);
    assert.equal(millions(layer.parameters + pointwise.parameters, 2), 0.27);
    const narrow = cost({ alpha: 0.75 }).layers.filter((c) => c.layer.block === 7);
    assert.equal(
      millions(
        narrow.reduce((a, c) => a + c.multAdds, 0),
        1,
      ),
      29.6,
    );
    assert.equal(
      millions(
        narrow.reduce((a, c) => a + c.parameters, 0),
        2,
      ),
      0.15,
    );
    // rho = 0.714 makes the 14x14 map 10x10 (224 * 0.714 = 160).
    const small = cost({ alpha: 0.75, resolution: 160 }).layers.filter((c) => c.layer.block === 7);
    assert.equal(
      millions(
        small.reduce((a, c) => a + c.multAdds, 0),
        1,
      ),
      15.1,
    );
  });

  it('gives the standard-convolution network 29.3M parameters and 4867M mult-adds (Table 4 prints 4866M)', () => {
    const standard = cost({ convolution: 'standard' });
    assert.equal(standard.totals.parameters, 29_281_120);
    assert.equal(millions(standard.totals.parameters, 1), 29.3);
    assert.equal(standard.totals.multAdds, 4_867_293_184);
    assert.equal(millions(standard.totals.multAdds), 4867);
    // The paper's 4866M is the total without the fully connected layer's 1.024M mult-adds.
    assert.equal(millions(standard.totals.multAdds - standard.byType.fc.multAdds), 4866);
  });

  it("reproduces Table 5's shallow MobileNet (the five 14x14x512 blocks removed): 307M, 2.9M", () => {
    const full = cost();
    const five = full.layers.filter((c) => c.layer.block >= 7 && c.layer.block <= 11);
    assert.equal(five.length, 10);
    const sum = (key: 'multAdds' | 'parameters'): number => five.reduce((a, c) => a + c[key], 0);
    assert.equal(millions(full.totals.multAdds - sum('multAdds')), 307);
    assert.equal(millions(full.totals.parameters - sum('parameters'), 1), 2.9);
  });

  it('reproduces Table 6 (width multiplier): 569, 325, 149, 41M mult-adds; 4.2, 2.6, 1.3, 0.5M parameters', () => {
    const rows = [1, 0.75, 0.5, 0.25].map((alpha) => cost({ alpha }).totals);
    assert.deepEqual(
      rows.map((t) => millions(t.multAdds)),
      [569, 325, 149, 41],
    );
    assert.deepEqual(
      rows.map((t) => millions(t.parameters, 1)),
      [4.2, 2.6, 1.3, 0.5],
    );
  });

  it('reproduces Table 7 (resolution) at 224, 192 and 128: 569, 418, 186M', () => {
    const at = (resolution: number): number => cost({ resolution }).totals.multAdds;
    assert.equal(millions(at(224)), 569);
    assert.equal(millions(at(192)), 418);
    assert.equal(millions(at(128)), 186);
    assert.equal(millions(cost({ resolution: 128 }).totals.parameters, 1), 4.2);
  });

  it("counts 290.7M at 160 where Table 7 prints 290M: the paper's 569M x rho^2 gives 290.2M", () => {
    const exact = cost({ resolution: 160 }).totals.multAdds;
    assert.equal(exact, 290_675_200);
    assert.equal(millions(exact), 291);
    // Scaling the whole 224 network by rho^2, FC included, reproduces every Table 7 entry.
    const scaled = (resolution: number): number =>
      millions(cost().totals.multAdds * (resolution / 224) ** 2);
    assert.deepEqual([224, 192, 160, 128].map(scaled), [569, 418, 290, 186]);
  });

  it('counts 76.5M for 0.50 MobileNet-160 where Table 9 prints 76M (149.5M x rho^2 = 76.3M), and 1.32M parameters', () => {
    const t = cost({ alpha: 0.5, resolution: 160 }).totals;
    assert.equal(millions(t.multAdds, 1), 76.5);
    assert.equal(millions(cost({ alpha: 0.5 }).totals.multAdds * (160 / 224) ** 2), 76);
    assert.equal(millions(t.parameters, 2), 1.32);
  });

  it('agrees with Table 10 for 0.75 MobileNet-192: 239M', () => {
    assert.equal(millions(cost({ alpha: 0.75, resolution: 192 }).totals.multAdds), 239);
  });

  it('keeps parameters independent of the resolution and FC mult-adds equal to its weights', () => {
    for (const resolution of [32, 96, 224, 512]) {
      const report = cost({ resolution });
      assert.equal(report.totals.parameters, 4_209_088);
      assert.equal(report.byType.fc.multAdds, 1_024_000);
    }
  });
});
