import assert from 'node:assert/strict';
import { findKeepUpRate, keepUpSettings, keptUp } from '../../src/bench/keepUpRate.js';
import type { PlayMeasurement } from '../../src/bench/playMeasurement.js';

/** A node that publishes every frame up to `capacity` frames/s and drops the excess. */
function node(capacity: number): (fps: number) => Promise<PlayMeasurement> {
  return (fps) => Promise.resolve(play(fps, capacity));
}

function play(fps: number, capacity: number): PlayMeasurement {
  const out = Math.min(fps, capacity);
  return {
    played: 100,
    published: Math.round((100 * out) / fps),
    loss: 1 - out / fps,
    seconds: 2,
    fps: out,
  };
}

describe('findKeepUpRate', () => {
  it('plays just under the capacity measured under overload and takes the first rate kept up with', async () => {
    const rates: number[] = [];
    const capacity = play(90, 50);
    const result = await findKeepUpRate(90, capacity, (fps) => {
      rates.push(fps);
      return node(50)(fps);
    });
    assert.deepEqual(rates, [47.5]);
    assert.equal(result.chosen.keptUp, true);
    assert.equal(result.chosen.measured.fps, 47.5);
  });

  it('steps down while more than maxLoss is lost, at most `attempts` times', async () => {
    // Capacity under overload overstates what it sustains: it keeps up only with 40 fps.
    const overload = play(90, 50);
    const result = await findKeepUpRate(90, overload, node(40), {
      startFraction: 1,
      stepFraction: 0.9,
      attempts: 2,
    });
    assert.deepEqual(
      result.attempts.map((a) => [a.inputFps, a.keptUp]),
      [
        [50, false],
        [45, false],
      ],
    );
    assert.equal(result.chosen, result.attempts[1], 'the slowest try counts when none kept up');
    // At 40.5 fps it publishes 40: 1.2% lost, within the default 2%.
    const kept = await findKeepUpRate(90, overload, node(40), { startFraction: 1, attempts: 3 });
    assert.equal(kept.chosen.keptUp, true);
    assert.ok(Math.abs(kept.chosen.inputFps - 40.5) < 1e-9);
    assert.equal(kept.chosen.measured.fps, 40);
  });

  it('starts at a given rate when asked (the real-graph bench: replay rate)', async () => {
    const rates: number[] = [];
    const result = await findKeepUpRate(
      90,
      play(90, 50),
      (fps) => {
        rates.push(fps);
        return node(64)(fps);
      },
      { startFps: 70, stepFraction: 0.95, attempts: 5 },
    );
    // 70 loses 8.6%; 66.5 loses 3.8%; 63.175 is kept up with.
    assert.deepEqual(
      rates.map((r) => Number(r.toFixed(3))),
      [70, 66.5, 63.175],
    );
    assert.equal(result.chosen.keptUp, true);
    await assert.rejects(
      findKeepUpRate(90, play(90, 50), node(50), { startFps: 0 }),
      /'startFps' must be > 0, got 0/,
    );
  });

  it('takes the overload play itself when the node kept up with it (no overload)', async () => {
    const result = await findKeepUpRate(60, play(60, 80), () => {
      throw new Error('no paced play expected');
    });
    assert.deepEqual(result.attempts, [result.chosen]);
    assert.equal(result.chosen.inputFps, 60);
  });

  it('counts in frames: exactly maxLoss of the frames lost still keeps up', () => {
    const lost = (published: number): PlayMeasurement => ({
      played: 100,
      published,
      loss: 1 - published / 100,
      seconds: 2,
      fps: published / 2,
    });
    assert.ok(lost(98).loss > 0.02, 'the floating-point trap this guards against');
    assert.equal(keptUp(lost(98), 0.02), true);
    assert.equal(keptUp(lost(97), 0.02), false);
    assert.equal(keptUp(lost(100), 0), true);
    assert.equal(keptUp(lost(99), 0), false);
  });

  it('checks its options, naming each with its range', () => {
    assert.deepEqual(keepUpSettings(), {
      startFraction: 0.95,
      stepFraction: 0.9,
      attempts: 3,
      maxLoss: 0.02,
    });
    assert.throws(() => keepUpSettings({ startFraction: 1.2 }), {
      name: 'RangeError',
      message: "'startFraction' must be in (0, 1], got 1.2",
    });
    assert.throws(
      () => keepUpSettings({ stepFraction: 1 }),
      /'stepFraction' must be in \(0, 1\), got 1/,
    );
    assert.throws(
      () => keepUpSettings({ attempts: 0 }),
      /'attempts' must be an integer >= 1, got 0/,
    );
    assert.throws(() => keepUpSettings({ maxLoss: 1 }), /'maxLoss' must be in \[0, 1\), got 1/);
  });
});
