import type { Box } from '../postprocess/box.js';
import { assertGrayOrBgrMat } from './assertBgrMat.js';
import cv from './cv.js';
import type { Mat } from './cv.js';

/**
 * Copies the part of `mat` inside `box` (pixels, continuous corners), clipped to the image. The
 * box is widened to whole pixels: every pixel it touches is included. Returns a new continuous
 * Mat owned by the caller (not a view, so releasing `mat` does not affect it).
 *
 * @throws TypeError for a Mat that is not 8-bit grey or BGR; RangeError for a box with a
 *   non-finite corner, or one that covers no pixel of the image after clipping.
 */
export function cropMat(mat: Mat, box: Box): Mat {
  assertGrayOrBgrMat(mat);
  const { xmin, ymin, xmax, ymax } = box;
  if (![xmin, ymin, xmax, ymax].every(Number.isFinite)) {
    throw new RangeError(`'box' corners must be finite numbers, got ${JSON.stringify(box)}`);
  }
  const x0 = Math.max(0, Math.floor(xmin));
  const y0 = Math.max(0, Math.floor(ymin));
  const x1 = Math.min(mat.cols, Math.ceil(xmax));
  const y1 = Math.min(mat.rows, Math.ceil(ymax));
  if (x1 <= x0 || y1 <= y0) {
    throw new RangeError(
      `'box' ${JSON.stringify(box)} covers no pixel of the ${mat.cols}x${mat.rows} image ` +
        'after clipping; it is empty, inverted or outside the image',
    );
  }
  const region = mat.getRegion(new cv.Rect(x0, y0, x1 - x0, y1 - y0));
  try {
    return region.copy();
  } finally {
    region.release();
  }
}
