import type { Box } from '../postprocess/box.js';
import type { Point } from '../image/modelInputTransform.js';
import type { FiveLandmarks } from './faceResult.js';

/** Number of values the landmark model outputs per face: 68 (x, y) pairs. */
export const LANDMARK_VALUES = 136;

/**
 * Maps the landmark model's output for one face (68 (x, y) pairs normalised to the crop it was
 * given) to source pixels.
 * @throws RangeError when `values` does not hold 136 numbers from `offset`.
 */
export function landmarksToSource(values: ArrayLike<number>, offset: number, crop: Box): Point[] {
  if (values.length < offset + LANDMARK_VALUES) {
    throw new RangeError(
      `landmark output must hold ${LANDMARK_VALUES} values from ${offset}, got ${values.length}`,
    );
  }
  const w = crop.xmax - crop.xmin;
  const h = crop.ymax - crop.ymin;
  const points: Point[] = [];
  for (let i = 0; i < 68; i++) {
    points.push({
      x: crop.xmin + values[offset + 2 * i]! * w,
      y: crop.ymin + values[offset + 2 * i + 1]! * h,
    });
  }
  return points;
}

/**
 * The five alignment points from the 68-point (iBUG 300-W) layout: each eye centre is the mean
 * of its four eyelid points (37, 38, 40, 41 and 43, 44, 46, 47, 0-based; the corners are
 * left out as in the models' reference code), the nose tip is point 30, each mouth corner the
 * mean of the outer and inner lip corners (48 and 60, 54 and 64).
 * @throws RangeError unless there are 68 points.
 */
export function fivePointsFrom68(points: readonly Point[]): FiveLandmarks {
  if (points.length !== 68)
    throw new RangeError(`'points' must hold 68 landmarks, got ${points.length}`);
  const mean = (...indices: number[]): Point => {
    let x = 0;
    let y = 0;
    for (const i of indices) {
      x += points[i]!.x;
      y += points[i]!.y;
    }
    return { x: x / indices.length, y: y / indices.length };
  };
  return [mean(37, 38, 40, 41), mean(43, 44, 46, 47), mean(30), mean(48, 60), mean(54, 64)];
}
