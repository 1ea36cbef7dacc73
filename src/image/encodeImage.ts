import { assertGrayOrBgrMat } from './assertBgrMat.js';
import cv from './cv.js';
import type { Mat } from './cv.js';

/**
 * Encodes a BGR (CV_8UC3) or grey (CV_8UC1) Mat as JPEG. `quality` is libjpeg's 0..100
 * (default 90, as the fixture photos were written). Returns new bytes; `mat` is unchanged.
 *
 * @throws TypeError for another Mat type; RangeError for a quality outside 0..100.
 */
export function encodeJpeg(mat: Mat, quality = 90): Uint8Array {
  assertGrayOrBgrMat(mat);
  if (!Number.isInteger(quality) || quality < 0 || quality > 100) {
    throw new RangeError(`'quality' must be an integer in [0, 100], got ${quality}`);
  }
  return plain(cv.imencode('.jpg', mat, [cv.IMWRITE_JPEG_QUALITY, quality]));
}

/**
 * Encodes a BGR (CV_8UC3) or grey (CV_8UC1) Mat as PNG (lossless, zlib level 3, OpenCV's
 * default: fast rather than smallest). Returns new bytes; `mat` is unchanged.
 *
 * @throws TypeError for another Mat type.
 */
export function encodePng(mat: Mat): Uint8Array {
  assertGrayOrBgrMat(mat);
  return plain(cv.imencode('.png', mat));
}

// A plain Uint8Array view, so message data compares equal to what the CDR reader returns.
function plain(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
