import assert from 'node:assert/strict';

import cv from '../../src/image/cv.js';
import { cropMat } from '../../src/image/cropMat.js';
import { bytesOf, loadPhoto } from './imageTestSupport.js';

describe('cropMat', () => {
  it('copies every pixel the box touches, independent of the source', () => {
    const photo = loadPhoto('chelsea.jpg');
    const crop = cropMat(photo, { xmin: 10.2, ymin: 20.7, xmax: 100.5, ymax: 50 });
    const region = photo.getRegion(new cv.Rect(10, 20, 91, 30)).copy();
    const expected = bytesOf(region);
    region.release();
    photo.release(); // the crop owns its pixels
    try {
      assert.deepEqual([crop.cols, crop.rows], [91, 30]);
      assert.deepEqual(bytesOf(crop), expected);
    } finally {
      crop.release();
    }
  });

  it('clips to the image', () => {
    const photo = loadPhoto('chelsea.jpg');
    try {
      const crop = cropMat(photo, { xmin: -50, ymin: 250, xmax: 40, ymax: 900 });
      assert.deepEqual([crop.cols, crop.rows], [40, 50]);
      crop.release();
    } finally {
      photo.release();
    }
  });

  it('rejects boxes that cover no pixel, and non-finite boxes', () => {
    const photo = loadPhoto('chelsea.jpg');
    try {
      for (const box of [
        { xmin: 500, ymin: 0, xmax: 600, ymax: 10 },
        { xmin: 10, ymin: 10, xmax: 10, ymax: 20 },
        { xmin: 30, ymin: 10, xmax: 20, ymax: 20 },
      ]) {
        assert.throws(
          () => cropMat(photo, box),
          (err: unknown) =>
            err instanceof RangeError && /covers no pixel of the 451x300 image/.test(err.message),
        );
      }
      assert.throws(
        () => cropMat(photo, { xmin: NaN, ymin: 0, xmax: 5, ymax: 5 }),
        /'box' corners must be finite numbers/,
      );
    } finally {
      photo.release();
    }
  });
});
