import assert from 'node:assert/strict';
import { iou, type Box } from '../../src/postprocess/box.js';
import { nonMaxSuppression } from '../../src/postprocess/nms.js';

const box = (xmin: number, ymin: number, xmax: number, ymax: number): Box => ({
  xmin,
  ymin,
  xmax,
  ymax,
});

describe('iou', () => {
  it('is 1 for identical boxes, 0 for disjoint ones, and the overlap ratio otherwise', () => {
    assert.equal(iou(box(0, 0, 2, 2), box(0, 0, 2, 2)), 1);
    assert.equal(iou(box(0, 0, 1, 1), box(2, 2, 3, 3)), 0);
    // 1x2 overlap of two 2x2 boxes: 2 / (4 + 4 - 2)
    assert.ok(Math.abs(iou(box(0, 0, 2, 2), box(1, 0, 3, 2)) - 2 / 6) < 1e-12);
  });

  it('is 0 when either box has no area (TFLite semantics)', () => {
    assert.equal(iou(box(0, 0, 0, 2), box(0, 0, 2, 2)), 0);
    assert.equal(iou(box(1, 1, 0, 0), box(0, 0, 2, 2)), 0);
  });
});

describe('nonMaxSuppression', () => {
  const boxes = [box(0, 0, 10, 10), box(1, 1, 11, 11), box(20, 20, 30, 30), box(0, 0, 10, 10.5)];
  const at = (i: number): Box => boxes[i] ?? box(0, 0, 0, 0);

  it('keeps the best of overlapping boxes and every separate one, best first', () => {
    const kept = nonMaxSuppression(at, [0.9, 0.8, 0.7, 0.95], {
      iouThreshold: 0.6,
      scoreThreshold: 0.1,
      maxDetections: 10,
    });
    assert.deepEqual(kept, [3, 2]);
  });

  it('keeps a box whose IoU equals the threshold (suppresses only above it)', () => {
    const two = [box(0, 0, 2, 2), box(1, 0, 3, 2)];
    const kept = nonMaxSuppression((i) => two[i] ?? box(0, 0, 0, 0), [0.9, 0.8], {
      iouThreshold: 2 / 6,
      scoreThreshold: 0,
      maxDetections: 10,
    });
    assert.deepEqual(kept, [0, 1]);
  });

  it('ignores candidates below the score threshold and stops at maxDetections', () => {
    assert.deepEqual(
      nonMaxSuppression(at, [0.9, 0.8, 0.2, 0.1], {
        iouThreshold: 0.6,
        scoreThreshold: 0.5,
        maxDetections: 10,
      }),
      [0],
    );
    assert.deepEqual(
      nonMaxSuppression(at, [0.9, 0.0, 0.7, 0.0], {
        iouThreshold: 0.6,
        scoreThreshold: 0.5,
        maxDetections: 1,
      }),
      [0],
    );
  });

  it('breaks score ties by index, so results are deterministic', () => {
    const apart = [box(0, 0, 1, 1), box(5, 5, 6, 6)];
    assert.deepEqual(
      nonMaxSuppression((i) => apart[i] ?? box(0, 0, 0, 0), [0.5, 0.5], {
        iouThreshold: 0.5,
        scoreThreshold: 0,
        maxDetections: 5,
      }),
      [0, 1],
    );
  });
});
