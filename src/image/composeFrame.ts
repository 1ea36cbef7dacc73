import type { Box } from '../postprocess/box.js';
import { assertBgrMat } from './assertBgrMat.js';
import cv from './cv.js';
import type { Mat } from './cv.js';

/** A picture pasted into a frame, scaled to fill `box` (pixels of the frame). */
export interface Sprite {
  readonly image: Mat;
  readonly box: Box;
}

/**
 * A new width x height BGR frame: `background` stretched to the size, then each sprite scaled
 * to its box (corners rounded to whole pixels) and pasted, in order, so later sprites cover
 * earlier ones. Parts of a box outside the frame are cut off. For synthetic sequences with known
 * object positions (test ground truth). Returns a new Mat (caller releases it).
 *
 * @throws TypeError for a Mat that is not 8-bit BGR; RangeError for a bad size or a box with a
 *   non-finite corner.
 */
export function composeFrame(
  background: Mat,
  size: { readonly width: number; readonly height: number },
  sprites: readonly Sprite[],
): Mat {
  assertBgrMat(background, 'background');
  const { width, height } = size;
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new RangeError(`'size' must be whole pixels >= 1, got ${width}x${height}`);
  }
  const frame = background.resize(height, width, 0, 0, cv.INTER_AREA);
  for (const [n, sprite] of sprites.entries()) {
    assertBgrMat(sprite.image, `sprites[${n}].image`);
    const { xmin, ymin, xmax, ymax } = sprite.box;
    if (![xmin, ymin, xmax, ymax].every(Number.isFinite)) {
      throw new RangeError(
        `'sprites[${n}].box' corners must be finite, got ${JSON.stringify(sprite.box)}`,
      );
    }
    const x0 = Math.round(xmin);
    const y0 = Math.round(ymin);
    const w = Math.round(xmax) - x0;
    const h = Math.round(ymax) - y0;
    // Visible part, in frame pixels.
    const left = Math.max(0, x0);
    const top = Math.max(0, y0);
    const right = Math.min(width, x0 + w);
    const bottom = Math.min(height, y0 + h);
    if (w < 1 || h < 1 || right <= left || bottom <= top) continue;
    const scaled = sprite.image.resize(h, w, 0, 0, cv.INTER_AREA);
    try {
      const part = scaled.getRegion(new cv.Rect(left - x0, top - y0, right - left, bottom - top));
      const target = frame.getRegion(new cv.Rect(left, top, right - left, bottom - top));
      part.copyTo(target);
    } finally {
      scaled.release();
    }
  }
  return frame;
}
