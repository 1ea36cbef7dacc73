import assert from 'node:assert/strict';
import { measurePlay } from '../../src/bench/playMeasurement.js';

/** Detections of frames `indexes`, one every `intervalMs`, starting at 1000 ms. */
const at = (indexes: readonly number[], intervalMs: number) =>
  indexes.map((index, k) => ({ index, receivedMs: 1000 + k * intervalMs }));

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from }, (_, i) => from + i);

describe('measurePlay', () => {
  it('times the frames after the warm-up from the last warm-up detection, as replay is timed', () => {
    const m = measurePlay(at(range(0, 30), 20), { warmup: 10, frames: 20 });
    assert.equal(m.published, 20);
    assert.equal(m.loss, 0);
    assert.ok(Math.abs(m.seconds - 0.4) < 1e-9);
    assert.ok(Math.abs(m.fps - 50) < 1e-9);
  });

  it('counts frames without a detection as lost, and ignores frames outside the bag', () => {
    const indexes = range(0, 30).filter((i) => i !== 15 && i !== 16);
    const m = measurePlay(at([...indexes, 99], 25), { warmup: 10, frames: 20 });
    assert.equal(m.published, 18);
    assert.ok(Math.abs(m.loss - 0.1) < 1e-12);
  });

  it('starts the clock at the first timed detection when the warm-up frames were all lost', () => {
    const m = measurePlay(at(range(10, 30), 10), { warmup: 10, frames: 20 });
    // 20 detections, 19 intervals of 10 ms.
    assert.ok(Math.abs(m.fps - 100) < 1e-9);
    assert.equal(m.published, 20);
  });

  it('refuses to time fewer than two detections, and bad arguments', () => {
    assert.throws(
      () => measurePlay(at([12], 10), { warmup: 10, frames: 20 }),
      /only 1 of 20 timed frame\(s\) came back as detections/,
    );
    assert.throws(() => measurePlay([], { warmup: -1, frames: 1 }), {
      name: 'RangeError',
      message: "'warmup' must be an integer >= 0, got -1",
    });
    assert.throws(() => measurePlay([], { warmup: 0, frames: 0 }), {
      name: 'RangeError',
      message: "'frames' must be an integer >= 1, got 0",
    });
  });
});
