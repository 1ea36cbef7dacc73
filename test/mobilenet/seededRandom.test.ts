import assert from 'node:assert/strict';
import { SeededRandom } from '../../src/mobilenet/seededRandom.js';

describe('SeededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = new SeededRandom(42).uniforms(100, 0, 1);
    const b = new SeededRandom(42).uniforms(100, 0, 1);
    const c = new SeededRandom(43).uniforms(100, 0, 1);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('is the mulberry32 sequence (pinned, so that built models never change silently)', () => {
    const r = new SeededRandom(1);
    assert.deepEqual(
      [r.next(), r.next(), r.next()].map((v) => v.toFixed(10)),
      ['0.6270739406', '0.0027357212', '0.5274470400'],
    );
  });

  it('stays in range and has roughly the moments asked for', () => {
    const r = new SeededRandom(7);
    const u = r.uniforms(20000, -2, 3);
    assert.ok(u.every((v) => v >= -2 && v < 3));
    const n = r.normals(20000, 1, 2);
    const mean = n.reduce((a, b) => a + b, 0) / n.length;
    const variance = n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length;
    assert.ok(Math.abs(mean - 1) < 0.05, `mean ${mean}`);
    assert.ok(Math.abs(Math.sqrt(variance) - 2) < 0.05, `std ${Math.sqrt(variance)}`);
  });

  it('rejects a seed that is not a safe integer', () => {
    assert.throws(() => new SeededRandom(1.5), {
      name: 'RangeError',
      message: "'seed' must be a safe integer, got 1.5",
    });
  });
});
