import type { Box } from '../postprocess/box.js';
import { nonMaxSuppression } from '../postprocess/nms.js';

/** The ULFD RFB-320 input, as the model declares it: 1x3x240x320, RGB. */
export const ULFD_INPUT = { width: 320, height: 240 } as const;

/** Options of {@link decodeUlfd}. */
export interface UlfdDecodeOptions {
  /** Minimum face probability, in [0, 1]. */
  readonly scoreThreshold: number;
  /** NMS overlap threshold, in [0, 1]. */
  readonly iouThreshold: number;
  /** At most this many faces. */
  readonly maxFaces: number;
}

/** One face candidate in normalised input coordinates ([0, 1] over the whole input). */
export interface UlfdFace {
  readonly box: Box;
  readonly score: number;
}

/**
 * Post-processing of ULFD RFB-320. The exported graph already ends in a softmax over
 * (background, face) per prior (`scores` [1, N, 2]) and decodes the SSD offsets against its
 * 4420 priors into normalised corners (`boxes` [1, N, 4], x1 y1 x2 y2), so what is left is the
 * threshold and greedy NMS. Boxes are clamped to [0, 1].
 *
 * @throws RangeError when the arrays do not hold the same number of priors.
 */
export function decodeUlfd(
  scores: Float32Array,
  boxes: Float32Array,
  options: UlfdDecodeOptions,
): UlfdFace[] {
  const priors = scores.length / 2;
  if (!Number.isInteger(priors) || boxes.length !== priors * 4) {
    throw new RangeError(
      `ULFD outputs disagree: ${scores.length} score values (2 per prior), ${boxes.length} box values (4 per prior)`,
    );
  }
  const faceScores = new Float32Array(priors);
  for (let i = 0; i < priors; i++) faceScores[i] = scores[2 * i + 1]!;
  const boxAt = (i: number): Box => ({
    xmin: clamp01(boxes[4 * i]!),
    ymin: clamp01(boxes[4 * i + 1]!),
    xmax: clamp01(boxes[4 * i + 2]!),
    ymax: clamp01(boxes[4 * i + 3]!),
  });
  const kept = nonMaxSuppression(boxAt, faceScores, {
    scoreThreshold: options.scoreThreshold,
    iouThreshold: options.iouThreshold,
    maxDetections: options.maxFaces,
  });
  return kept
    .map((i) => ({ box: boxAt(i), score: faceScores[i]! }))
    .filter((f) => f.box.xmax > f.box.xmin && f.box.ymax > f.box.ymin);
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
