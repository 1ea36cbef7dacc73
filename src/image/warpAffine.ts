import cv from './cv.js';
import type { FrameImage } from './frameImage.js';

/**
 * A 2x3 affine map from source pixels to output pixels, row major:
 * `u = a*x + b*y + c`, `v = d*x + e*y + f`, in OpenCV's convention (pixel centres at integer
 * coordinates).
 */
export type AffineMatrix = readonly [number, number, number, number, number, number];

/** Options of {@link warpAffine}. */
export interface WarpOptions {
  /** Output width in pixels, integer in [1, 4096]. */
  readonly width: number;
  /** Output height in pixels, integer in [1, 4096]. */
  readonly height: number;
  /** 'rgb', 'bgr' (3 bytes per pixel) or 'gray' (1 byte, BT.601 luma as OpenCV computes it). */
  readonly channels: 'rgb' | 'bgr' | 'gray';
  /** Value of output pixels that fall outside the frame, 0..255. Default 0. */
  readonly borderValue?: number;
}

/**
 * Warps a frame with an affine map (bilinear) into a small packed image, e.g. a face aligned to
 * a 112x112 template or a face crop resized to 64x64. Returns height x width x channels bytes,
 * a copy owned by the caller; the frame is not modified.
 *
 * @throws RangeError for a matrix with a non-finite entry, or a bad size or border value.
 */
export function warpAffine(
  image: FrameImage,
  matrix: AffineMatrix,
  options: WarpOptions,
): Uint8Array {
  const { width, height, channels, borderValue = 0 } = options;
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 4096) {
      throw new RangeError(`'${name}' must be an integer in [1, 4096], got ${value}`);
    }
  }
  if (matrix.length !== 6 || !matrix.every(Number.isFinite)) {
    throw new RangeError(`'matrix' must be 6 finite numbers, got ${JSON.stringify(matrix)}`);
  }
  if (!Number.isInteger(borderValue) || borderValue < 0 || borderValue > 255) {
    throw new RangeError(`'borderValue' must be an integer in [0, 255], got ${borderValue}`);
  }
  if (channels !== 'rgb' && channels !== 'bgr' && channels !== 'gray') {
    throw new RangeError(
      `'channels' must be 'rgb', 'bgr' or 'gray', got ${JSON.stringify(channels)}`,
    );
  }
  const transform = new cv.Mat([matrix.slice(0, 3), matrix.slice(3, 6)], cv.CV_64F);
  const owned = [transform];
  try {
    let current = image
      .bgr()
      .warpAffine(
        transform,
        new cv.Size(width, height),
        cv.INTER_LINEAR,
        cv.BORDER_CONSTANT,
        new cv.Vec3(borderValue, borderValue, borderValue),
      );
    owned.push(current);
    if (channels !== 'bgr') {
      current = current.cvtColor(channels === 'rgb' ? cv.COLOR_BGR2RGB : cv.COLOR_BGR2GRAY);
      owned.push(current);
    }
    const bytes = current.getData();
    return new Uint8Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
  } finally {
    for (const mat of owned) mat.release();
  }
}
