import assert from 'node:assert/strict';
import { Lookahead, type LookaheadClock } from '../../src/pipeline/lookahead.js';

/** A clock whose time moves only when the test says, with timers fired in time order. */
class ManualClock implements LookaheadClock {
  time = 0;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 0;

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimer(timer: unknown): void {
    this.timers.delete(timer as number);
  }

  advanceTo(time: number): void {
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, t]) => t.at <= time)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = time;
  }

  get pending(): number {
    return this.timers.size;
  }
}

/** One frame: starts at `start`, inference at start + prep, done at start + prep + rest. */
function runFrame(
  lookahead: Lookahead,
  clock: ManualClock,
  start: number,
  prep: number,
  rest: number,
): number[] {
  const releases: number[] = [];
  clock.advanceTo(start);
  const frame = lookahead.begin(() => releases.push(clock.now()));
  clock.advanceTo(start + prep);
  frame.inferenceStarted();
  clock.advanceTo(start + prep + rest);
  frame.done();
  return releases;
}

describe('Lookahead', () => {
  it('releases only at the end while nothing has been timed, then rest - prep - margin after inference starts', () => {
    const clock = new ManualClock();
    const lookahead = new Lookahead({ clock, marginMs: 1, smoothing: 1 });
    assert.equal(lookahead.releaseDelayMs, undefined);
    // First frame: prep 4 ms, rest 15 ms; released when done.
    assert.deepEqual(runFrame(lookahead, clock, 0, 4, 15), [19]);
    assert.equal(lookahead.releaseDelayMs, 15 - 4 - 1);
    // Second frame starts at 100, inference at 104: released at 104 + 10, once (done at 119).
    assert.deepEqual(runFrame(lookahead, clock, 100, 4, 15), [114]);
    assert.equal(clock.pending, 0);
  });

  it('follows changing times with a running average', () => {
    const clock = new ManualClock();
    const lookahead = new Lookahead({ clock, marginMs: 0, smoothing: 0.5, jitterSigmas: 0 });
    runFrame(lookahead, clock, 0, 4, 20);
    runFrame(lookahead, clock, 100, 8, 10);
    // prep: 4 -> 6; rest: 20 -> 15.
    assert.equal(lookahead.releaseDelayMs, 15 - 6);
  });

  it('starts earlier by k standard deviations when the times vary', () => {
    const clock = new ManualClock();
    const steady = new Lookahead({ clock, marginMs: 1, smoothing: 0.5, jitterSigmas: 2 });
    for (let i = 0; i < 4; i++) runFrame(steady, clock, i * 100, 4, 20);
    assert.equal(steady.releaseDelayMs, 20 - 4 - 1, 'constant times: no jitter allowance');
    const jittery = new Lookahead({ clock, marginMs: 1, smoothing: 0.5, jitterSigmas: 2 });
    runFrame(jittery, clock, 1000, 4, 20);
    runFrame(jittery, clock, 1100, 8, 20);
    // prep: mean 4 -> 6, variance 0 -> 0.5 * (0 + 0.5 * 16) = 4 (sigma 2); rest constant.
    assert.equal(jittery.releaseDelayMs, 20 - 6 - 2 * 2 - 1);
  });

  it('never schedules a negative delay: preparation longer than the rest releases at inference start', () => {
    const clock = new ManualClock();
    const lookahead = new Lookahead({ clock, smoothing: 1 });
    runFrame(lookahead, clock, 0, 30, 5);
    assert.equal(lookahead.releaseDelayMs, 0);
    assert.deepEqual(runFrame(lookahead, clock, 100, 30, 5), [130]);
  });

  it('a frame done before its timer (or failing before inference) releases once and leaves no timer', () => {
    const clock = new ManualClock();
    const lookahead = new Lookahead({ clock, smoothing: 1 });
    runFrame(lookahead, clock, 0, 4, 15);
    // Done 3 ms after inference start, long before the 10 ms delay.
    assert.deepEqual(runFrame(lookahead, clock, 100, 4, 3), [107]);
    assert.equal(clock.pending, 0);
    // A frame that fails while decoding: no inferenceStarted, released by done().
    const releases: number[] = [];
    const failed = lookahead.begin(() => releases.push(clock.now()));
    clock.advanceTo(200);
    failed.done();
    failed.done();
    assert.deepEqual(releases, [200]);
  });

  it('never lets frames pile up at the model: one ready while it is busy is timed from when it frees', () => {
    const clock = new ManualClock();
    // Preparation (6 ms) longer than the rest (5 ms): each frame is released as its model starts.
    const lookahead = new Lookahead({ clock, marginMs: 0, smoothing: 1, jitterSigmas: 0 });
    runFrame(lookahead, clock, 0, 6, 5);
    assert.equal(lookahead.releaseDelayMs, 0);
    const released: string[] = [];
    const first = lookahead.begin(() => released.push(`first@${clock.now()}`));
    clock.advanceTo(106);
    first.inferenceStarted(); // released at once (delay 0): the second frame starts
    clock.advanceTo(106);
    assert.deepEqual(released, ['first@106']);
    const second = lookahead.begin(() => released.push(`second@${clock.now()}`));
    clock.advanceTo(109);
    second.inferenceStarted(); // ready at 109, the model busy with the first until 111
    clock.advanceTo(110);
    assert.deepEqual(released, ['first@106'], 'the second waits for the model, so must the third');
    clock.advanceTo(111);
    first.done();
    clock.advanceTo(111);
    assert.deepEqual(released, ['first@106', 'second@111'], 'timed from the model start: 111 + 0');
    // A frame that fails while it waits for the model leaves the queue.
    const third = lookahead.begin(() => released.push(`third@${clock.now()}`));
    clock.advanceTo(113);
    third.inferenceStarted();
    third.done();
    clock.advanceTo(116);
    second.done();
    // The model is free again: released rest 5 - prep 2 (the third's, smoothing 1) after 206.
    assert.deepEqual(runFrame(lookahead, clock, 200, 6, 5), [209]);
    assert.equal(clock.pending, 0);
  });

  it('refuses a smoothing outside (0, 1], a negative margin and negative sigmas', () => {
    assert.throws(() => new Lookahead({ smoothing: 0 }), /'smoothing' must be in \(0, 1\], got 0/);
    assert.throws(() => new Lookahead({ marginMs: -1 }), /'marginMs' must be >= 0, got -1/);
    assert.throws(() => new Lookahead({ jitterSigmas: -1 }), /'jitterSigmas' must be >= 0, got -1/);
  });
});
