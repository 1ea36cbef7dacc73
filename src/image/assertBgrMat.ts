import cv from './cv.js';
import type { Mat } from './cv.js';

/**
 * Throws a TypeError unless `mat` is a non-empty 8-bit 3-channel Mat (CV_8UC3), the canonical
 * BGR frame every function of this folder takes. `name` is the parameter name to quote.
 */
export function assertBgrMat(mat: Mat, name = 'mat'): void {
  assertMat(mat, name);
  if (mat.type !== cv.CV_8UC3) {
    throw new TypeError(
      `'${name}' must be an 8-bit 3-channel BGR Mat (CV_8UC3), got ${describeMat(mat)}; ` +
        'decode frames with decodeImage/decodeCompressed/readImageFile',
    );
  }
}

/**
 * Throws a TypeError unless `mat` is a non-empty 8-bit Mat with 1 or 3 channels (grey or BGR),
 * the images the encoders and message builders accept.
 */
export function assertGrayOrBgrMat(mat: Mat, name = 'mat'): void {
  assertMat(mat, name);
  if (mat.type !== cv.CV_8UC3 && mat.type !== cv.CV_8UC1) {
    throw new TypeError(
      `'${name}' must be an 8-bit BGR (CV_8UC3) or grey (CV_8UC1) Mat, got ${describeMat(mat)}`,
    );
  }
}

function assertMat(mat: Mat, name: string): void {
  if (!(mat instanceof cv.Mat)) {
    throw new TypeError(`'${name}' must be an OpenCV Mat, got ${typeof mat}`);
  }
  if (mat.empty) {
    throw new TypeError(`'${name}' is an empty Mat (0x0, or already released)`);
  }
}

/** "640x480 CV_8UC1": size and type of a Mat, for error messages. */
export function describeMat(mat: Mat): string {
  const depths = ['8U', '8S', '16U', '16S', '32S', '32F', '64F', '16F'];
  const depth = depths[mat.depth] ?? `depth${mat.depth}`;
  return `${mat.cols}x${mat.rows} CV_${depth}C${mat.channels}`;
}
