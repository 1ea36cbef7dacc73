import assert from 'node:assert/strict';
import cv from '../../src/image/cv.js';
import { FrameImage } from '../../src/image/frameImage.js';
import { warpAffine } from '../../src/image/warpAffine.js';
import { regionMapping, warpMatrix } from '../../src/faces/regionMapping.js';

/** A 4x2 BGR frame whose pixel (x, y) is (10x + y, 100 + x, 200 + y). */
function frame(): FrameImage {
  const rows = [0, 1].map((y) => [0, 1, 2, 3].map((x) => [10 * x + y, 100 + x, 200 + y]));
  return new FrameImage(new cv.Mat(rows, cv.CV_8UC3));
}

describe('warpAffine (src/image/warpAffine.ts)', function () {
  it('copies pixels through the identity map, in BGR or RGB order', function () {
    const image = frame();
    try {
      const bgr = warpAffine(image, [1, 0, 0, 0, 1, 0], { width: 4, height: 2, channels: 'bgr' });
      assert.deepEqual(Array.from(bgr.subarray(0, 6)), [0, 100, 200, 10, 101, 200]);
      const rgb = warpAffine(image, [1, 0, 0, 0, 1, 0], { width: 4, height: 2, channels: 'rgb' });
      assert.deepEqual(Array.from(rgb.subarray(0, 3)), [200, 100, 0]);
      const gray = warpAffine(image, [1, 0, 0, 0, 1, 0], { width: 4, height: 2, channels: 'gray' });
      assert.equal(gray.length, 8);
    } finally {
      image.close();
    }
  });

  it('crops a region with a regionMapping and fills outside pixels with the border value', function () {
    const image = frame();
    try {
      // Pixel (2, 1) alone, scaled to 1x1.
      const one = warpAffine(
        image,
        warpMatrix(regionMapping({ xmin: 2, ymin: 1, xmax: 3, ymax: 2 }, 1, 1, 'stretch')),
        { width: 1, height: 1, channels: 'bgr' },
      );
      assert.deepEqual(Array.from(one), [21, 102, 201]);
      const outside = warpAffine(image, [1, 0, -10, 0, 1, 0], {
        width: 2,
        height: 2,
        channels: 'bgr',
        borderValue: 127,
      });
      assert.ok(outside.every((v) => v === 127));
    } finally {
      image.close();
    }
  });

  it('refuses bad sizes, matrices and border values, quoting the parameter', function () {
    const image = frame();
    try {
      assert.throws(
        () => warpAffine(image, [1, 0, 0, 0, 1, 0], { width: 0, height: 2, channels: 'bgr' }),
        /'width' must be an integer in \[1, 4096\], got 0/,
      );
      assert.throws(
        () => warpAffine(image, [1, 0, NaN, 0, 1, 0], { width: 2, height: 2, channels: 'bgr' }),
        /'matrix' must be 6 finite numbers/,
      );
      assert.throws(
        () =>
          warpAffine(image, [1, 0, 0, 0, 1, 0], {
            width: 2,
            height: 2,
            channels: 'bgr',
            borderValue: 300,
          }),
        /'borderValue' must be an integer in \[0, 255\], got 300/,
      );
    } finally {
      image.close();
    }
  });
});
