import assert from 'node:assert/strict';
import { linearAssignment } from '../../src/tracking/linearAssignment.js';

/** Minimum total cost over every assignment of the smaller side, by enumeration. */
function bruteForce(cost: number[], rows: number, cols: number): number {
  const small = Math.min(rows, cols);
  const big = Math.max(rows, cols);
  const at = (s: number, b: number): number =>
    rows <= cols ? (cost[s * cols + b] as number) : (cost[b * cols + s] as number);
  let best = Infinity;
  const used = new Array<boolean>(big).fill(false);
  const walk = (s: number, sum: number): void => {
    if (s === small) {
      best = Math.min(best, sum);
      return;
    }
    for (let b = 0; b < big; b++) {
      if (used[b]) continue;
      used[b] = true;
      walk(s + 1, sum + at(s, b));
      used[b] = false;
    }
  };
  walk(0, 0);
  return best;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('linearAssignment', () => {
  it('solves a 3x3 case worked by hand', () => {
    // Rows want column 0 first, but 0->1, 1->0, 2->2 costs 1 + 2 + 1 = 4, the least.
    const cost = [4, 1, 3, 2, 0, 5, 3, 2, 1];
    assert.deepEqual([...linearAssignment(cost, 3, 3)], [1, 0, 2]);
  });

  it('leaves rows unassigned when there are more rows than columns', () => {
    const cost = [5, 1, 2, 9, 0.5, 7];
    // 3 rows, 2 columns: row 2 takes column 0 (0.5), row 0 column 1 (1).
    assert.deepEqual([...linearAssignment(cost, 3, 2)], [1, -1, 0]);
  });

  it('matches brute force on 300 random rectangular matrices', () => {
    const next = random(7);
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + Math.floor(next() * 6);
      const cols = 1 + Math.floor(next() * 6);
      const cost = Array.from({ length: rows * cols }, () =>
        next() < 0.2 ? 1e6 : Math.round(next() * 100) / 10,
      );
      const assigned = linearAssignment(cost, rows, cols);
      const columns = [...assigned].filter((c) => c >= 0);
      assert.equal(columns.length, Math.min(rows, cols));
      assert.equal(new Set(columns).size, columns.length, 'a column used twice');
      const total = [...assigned].reduce(
        (sum, c, r) => (c < 0 ? sum : sum + (cost[r * cols + c] as number)),
        0,
      );
      assert.ok(
        Math.abs(total - bruteForce(cost, rows, cols)) < 1e-6,
        `trial ${trial}: ${total} vs ${bruteForce(cost, rows, cols)}`,
      );
    }
  });

  it('handles empty sides', () => {
    assert.deepEqual([...linearAssignment([], 0, 4)], []);
    assert.deepEqual([...linearAssignment([], 2, 0)], [-1, -1]);
  });

  it('refuses mismatched sizes and non-finite costs', () => {
    assert.throws(() => linearAssignment([1, 2, 3], 2, 2), /'cost' must hold rows x cols = 4/);
    assert.throws(
      () => linearAssignment([1, NaN], 1, 2),
      /'cost' must be finite, got NaN at row 0, column 1/,
    );
  });
});
