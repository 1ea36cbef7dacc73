import assert from 'node:assert/strict';
import { motMetrics, type MotFrame, type MotObject } from '../../src/tracking/motMetrics.js';

const at = (id: string, x: number, y = 0): MotObject => ({
  id,
  box: { xmin: x, ymin: y, xmax: x + 10, ymax: y + 10 },
});

const close = (actual: number, expected: number): void =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);

describe('motMetrics', () => {
  it('scores a perfect tracker 1 everywhere', () => {
    const frames: MotFrame[] = Array.from({ length: 5 }, (_, i) => ({
      truth: [at('g1', i * 5), at('g2', 100 - i * 5, 50)],
      tracks: [at('7', i * 5), at('9', 100 - i * 5, 50)],
    }));
    const m = motMetrics(frames);
    assert.deepEqual(
      [m.truth, m.matches, m.misses, m.falsePositives, m.idSwitches, m.fragmentations],
      [10, 10, 0, 0, 0, 0],
    );
    close(m.mota, 1);
    close(m.idf1, 1);
    close(m.motp, 1);
  });

  it('one identity switch halfway (the case that motivates IDF1, Ristani et al. 2016)', () => {
    // One object for 4 frames; the tracker calls it 'a', then 'b'.
    // CLEAR-MOT: FN 0, FP 0, IDSW 1, GT 4 -> MOTA = 1 - 1/4 = 0.75.
    // Identity: the best one-to-one map is g->a (or g->b), covering 2 frames: IDTP 2,
    // IDFN = 4 - 2 = 2, IDFP = 4 - 2 = 2 -> IDF1 = 2*2 / (2*2 + 2 + 2) = 0.5.
    const frames: MotFrame[] = [0, 1, 2, 3].map((i) => ({
      truth: [at('g', i)],
      tracks: [at(i < 2 ? 'a' : 'b', i)],
    }));
    const m = motMetrics(frames);
    assert.equal(m.idSwitches, 1);
    assert.equal(m.fragmentations, 0);
    close(m.mota, 0.75);
    assert.deepEqual([m.idtp, m.idfp, m.idfn], [2, 2, 2]);
    close(m.idf1, 0.5);
    close(m.idp, 0.5);
    close(m.idr, 0.5);
  });

  it('counts misses, a false positive, a fragmentation and a switch (worked by hand)', () => {
    // Object g over 6 frames. Tracker: 'a' in 0, 1; nothing in 2, 3 (plus a far-away 'c' in 3);
    // 'a' in 4; 'b' in 5.
    // Matches 4, FN 2, FP 1 ('c'), IDSW 1 (frame 5), Frag 1 (gap 2-3 resumed at 4).
    // MOTA = 1 - (2 + 1 + 1) / 6 = 1/3.
    // IDTP: g->a covers 3 frames -> IDF1 = 2*3 / (6 + 5) = 6/11.
    const tracks: MotObject[][] = [
      [at('a', 0)],
      [at('a', 0)],
      [],
      [at('c', 500)],
      [at('a', 0)],
      [at('b', 0)],
    ];
    const frames: MotFrame[] = tracks.map((t) => ({ truth: [at('g', 0)], tracks: t }));
    const m = motMetrics(frames);
    assert.deepEqual(
      [m.truth, m.tracks, m.matches, m.misses, m.falsePositives, m.idSwitches, m.fragmentations],
      [6, 5, 4, 2, 1, 1, 1],
    );
    close(m.mota, 1 / 3);
    assert.equal(m.idtp, 3);
    close(m.idf1, 6 / 11);
  });

  it('keeps a correspondence that still holds even when another track overlaps more', () => {
    // Frame 0: g matched to 'a' (IoU 1). Frame 1: 'a' shifted by 1 px (IoU 90/110), 'b' exactly
    // on g. Bernardin's rule keeps g->a: no switch, 'b' is a false positive.
    const frames: MotFrame[] = [
      { truth: [at('g', 0)], tracks: [at('a', 0)] },
      { truth: [at('g', 0)], tracks: [at('a', 1), at('b', 0)] },
    ];
    const m = motMetrics(frames);
    assert.equal(m.idSwitches, 0);
    assert.equal(m.falsePositives, 1);
    close(m.motp, (1 + 90 / 110) / 2);
  });

  it('counts two switches when two crossing objects swap ids, and matches only at IoU >= 0.5', () => {
    const frames: MotFrame[] = [
      { truth: [at('g1', 0), at('g2', 100)], tracks: [at('a', 0), at('b', 100)] },
      { truth: [at('g1', 50), at('g2', 50, 40)], tracks: [at('a', 50), at('b', 50, 40)] },
      { truth: [at('g1', 100), at('g2', 0)], tracks: [at('b', 100), at('a', 0)] },
      // 4 px off: IoU 60/140 < 0.5, so no match.
      { truth: [at('g1', 100)], tracks: [at('b', 104)] },
    ];
    const m = motMetrics(frames);
    assert.equal(m.idSwitches, 2);
    assert.equal(m.misses, 1);
    assert.equal(m.falsePositives, 1);
    close(m.mota, 1 - (1 + 1 + 2) / 7);
    // g1->a covers 2 frames, g2->b 2 frames: IDTP 4 of 7 truth and 7 tracker boxes.
    close(m.idf1, 8 / 14);
  });

  it('refuses an id used twice in a frame and a bad threshold', () => {
    assert.throws(
      () => motMetrics([{ truth: [at('g', 0), at('g', 50)], tracks: [] }]),
      /frame 0: id 'g' appears twice in 'truth'/,
    );
    assert.throws(() => motMetrics([], { iouThreshold: 0 }), /'iouThreshold' must be in \(0, 1\]/);
  });
});
