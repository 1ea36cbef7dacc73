import assert from 'node:assert/strict';
import { mobilenetCost } from '../../src/mobilenet/mobilenetCost.js';
import { mobilenetV1 } from '../../src/mobilenet/mobilenetV1.js';
import { referenceModel } from '../../src/mobilenet/referenceData.js';

const ALPHAS = [1, 0.75, 0.5, 0.25];
const RESOLUTIONS = [224, 192, 160, 128];
const multAddsM = (alpha: number, resolution: number): number =>
  mobilenetCost(mobilenetV1({ alpha, resolution })).totals.multAdds / 1e6;

describe('referenceData', () => {
  it('has a TF-Slim row for all 16 models and paper cells for 8 of them', () => {
    let paper = 0;
    for (const alpha of ALPHAS) {
      for (const resolution of RESOLUTIONS) {
        const ref = referenceModel(alpha, resolution);
        assert.ok(ref.tfSlim, `${alpha}-${resolution}`);
        if (ref.paper) paper++;
      }
    }
    assert.equal(paper, 8);
    assert.deepEqual(referenceModel(0.3, 224), {
      alpha: 0.3,
      resolution: 224,
      paper: undefined,
      tfSlim: undefined,
    });
  });

  it('matches the cost model where the paper prints mult-adds, except its rho^2-scaled 160 entries', () => {
    for (const alpha of ALPHAS) {
      for (const resolution of RESOLUTIONS) {
        const cell = referenceModel(alpha, resolution).paper;
        if (!cell) continue;
        const counted = Math.round(multAddsM(alpha, resolution));
        if (resolution === 160) assert.equal(counted, cell.multAddsM + 1, `${alpha}-${resolution}`);
        else assert.equal(counted, cell.multAddsM, `${alpha}-${resolution}`);
      }
    }
  });

  it('matches the TF-Slim MACs column for 10 of 16 models (the rest are listed in src/mobilenet/README.md)', () => {
    const differ: string[] = [];
    for (const alpha of ALPHAS) {
      for (const resolution of RESOLUTIONS) {
        const slim = referenceModel(alpha, resolution).tfSlim;
        assert.ok(slim);
        if (Math.round(multAddsM(alpha, resolution)) !== slim.macsM)
          differ.push(`${alpha}-${resolution}`);
      }
    }
    assert.deepEqual(differ, [
      '0.75-224',
      '0.75-192',
      '0.75-160',
      '0.75-128',
      '0.5-224',
      '0.25-192',
    ]);
  });
});
