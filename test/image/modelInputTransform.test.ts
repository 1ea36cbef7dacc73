import assert from 'node:assert/strict';

import {
  computeModelInputTransform,
  mapBoxToSource,
  mapPointToSource,
  transformToFullSource,
} from '../../src/image/modelInputTransform.js';
import type { Box } from '../../src/postprocess/box.js';

function assertBoxClose(actual: Box, expected: Box, tolerance = 1e-9): void {
  for (const k of ['xmin', 'ymin', 'xmax', 'ymax'] as const) {
    assert.ok(
      Math.abs(actual[k] - expected[k]) <= tolerance,
      `${k}: ${actual[k]} vs ${expected[k]} (${JSON.stringify(actual)})`,
    );
  }
}

describe('modelInputTransform', () => {
  it('stretch: normalised coordinates scale by the source size on each axis', () => {
    const t = computeModelInputTransform(640, 480, { width: 300, height: 300, resize: 'stretch' });
    assert.deepEqual(t.content, { x: 0, y: 0, width: 300, height: 300 });
    assert.deepEqual([t.scaleX, t.scaleY, t.offsetX, t.offsetY], [640, 480, 0, 0]);
    assertBoxClose(mapBoxToSource({ xmin: 0.25, ymin: 0.5, xmax: 0.75, ymax: 1 }, t), {
      xmin: 160,
      ymin: 240,
      xmax: 480,
      ymax: 480,
    });
  });

  it('letterbox 640x480 -> 300x300: 300x225 content, 37 px above and 38 below', () => {
    const t = computeModelInputTransform(640, 480, {
      width: 300,
      height: 300,
      resize: 'letterbox',
    });
    assert.deepEqual(t.content, { x: 0, y: 37, width: 300, height: 225 });
    // The content rectangle maps to the whole image.
    assertBoxClose(mapBoxToSource({ xmin: 0, ymin: 37 / 300, xmax: 1, ymax: 262 / 300 }, t), {
      xmin: 0,
      ymin: 0,
      xmax: 640,
      ymax: 480,
    });
    // A person box drawn in model pixels (60..150, 87..237) maps back through the padding.
    const k = 640 / 300;
    assertBoxClose(
      mapBoxToSource({ xmin: 60 / 300, ymin: 87 / 300, xmax: 150 / 300, ymax: 237 / 300 }, t),
      { xmin: 60 * k, ymin: 50 * k, xmax: 150 * k, ymax: 200 * k },
    );
  });

  it('letterbox of a portrait image pads left and right', () => {
    const t = computeModelInputTransform(427, 640, {
      width: 320,
      height: 240,
      resize: 'letterbox',
    });
    assert.deepEqual(t.content, { x: 80, y: 0, width: 160, height: 240 });
    const p = mapPointToSource({ x: 0.25, y: 0.5 }, t); // left edge of the content
    assert.ok(Math.abs(p.x) < 1e-9 && Math.abs(p.y - 320) < 1e-9, JSON.stringify(p));
  });

  it('clamps boxes to the image unless asked not to', () => {
    const t = computeModelInputTransform(640, 480, {
      width: 300,
      height: 300,
      resize: 'letterbox',
    });
    const box = { xmin: -0.1, ymin: 0, xmax: 1.2, ymax: 0.5 };
    const clamped = mapBoxToSource(box, t);
    assert.equal(clamped.xmin, 0);
    assert.equal(clamped.ymin, 0);
    assert.equal(clamped.xmax, 640);
    const raw = mapBoxToSource(box, t, { clamp: false });
    assert.ok(raw.xmin < 0 && raw.ymin < 0 && raw.xmax > 640);
  });

  it('rejects sizes outside [1, 16384] and unknown modes, quoting the parameter', () => {
    assert.throws(
      () => computeModelInputTransform(640, 480, { width: 0, height: 300, resize: 'stretch' }),
      /'width' must be an integer in \[1, 16384\], got 0/,
    );
    assert.throws(
      () => computeModelInputTransform(640, 480.5, { width: 300, height: 300, resize: 'stretch' }),
      RangeError,
    );
    assert.throws(
      () =>
        computeModelInputTransform(640, 480, {
          width: 300,
          height: 300,
          resize: 'crop' as 'stretch',
        }),
      /'resize' must be 'stretch' or 'letterbox', got "crop"/,
    );
  });

  it('re-expresses the transform of a reduced decode in full-size source pixels', () => {
    // 641x427 decoded at 1/4 is 161x107 (libjpeg rounds up); decoded pixel x covers [4x, 4x + 4).
    for (const resize of ['stretch', 'letterbox'] as const) {
      const reduced = computeModelInputTransform(161, 107, { width: 300, height: 300, resize });
      const full = transformToFullSource(reduced, 4, 641, 427);
      assert.deepEqual([full.sourceWidth, full.sourceHeight], [641, 427]);
      assert.deepEqual(full.content, reduced.content);
      const box = { xmin: 0.1, ymin: 0.3, xmax: 0.6, ymax: 0.7 };
      const inReduced = mapBoxToSource(box, reduced);
      assertBoxClose(mapBoxToSource(box, full), {
        xmin: inReduced.xmin * 4,
        ymin: inReduced.ymin * 4,
        xmax: inReduced.xmax * 4,
        ymax: inReduced.ymax * 4,
      });
      // The right edge of the last decoded pixel (644) is clamped to the source (641).
      if (resize === 'stretch') {
        assert.equal(mapBoxToSource({ xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, full).xmax, 641);
      }
    }
    const same = computeModelInputTransform(640, 480, {
      width: 300,
      height: 300,
      resize: 'stretch',
    });
    assert.equal(transformToFullSource(same, 1, 640, 480), same);
    assert.throws(
      () => transformToFullSource(same, 2, 1000, 960),
      /640x480 image is not 1000x960 reduced by 2/,
    );
    assert.throws(
      () => transformToFullSource(same, 3.5, 640, 480),
      /'factor' must be a positive integer/,
    );
  });
});
