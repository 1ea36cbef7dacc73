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

/** Boxes decoded one prior at a time, for the few priors NMS visits (see ulfdBoxDecoder). */
export interface UlfdPriorBoxes {
  /** Number of priors. */
  readonly count: number;
  /** Corner box of a prior (x1 y1 x2 y2 as xmin ymin xmax ymax), normalised, not clamped. */
  at(prior: number): Box;
}

/**
 * Post-processing of ULFD RFB-320. The exported graph already ends in a softmax over
 * (background, face) per prior (`scores` [1, N, 2]) and decodes the SSD offsets against its
 * 4420 priors into normalised corners (`boxes` [1, N, 4], x1 y1 x2 y2), so what is left is the
 * threshold and greedy NMS. The any-size form leaves the offsets to TypeScript: give its boxes
 * as UlfdPriorBoxes, and only the priors over the threshold are decoded. Boxes are clamped to
 * [0, 1].
 *
 * @throws RangeError when scores and boxes do not hold the same number of priors.
 */
export function decodeUlfd(
  scores: Float32Array,
  boxes: Float32Array | UlfdPriorBoxes,
  options: UlfdDecodeOptions,
): UlfdFace[] {
  const priors = scores.length / 2;
  const source = boxes instanceof Float32Array ? cornerArray(boxes) : boxes;
  if (!Number.isInteger(priors) || source.count !== priors) {
    throw new RangeError(
      `ULFD outputs disagree: ${scores.length} score values (2 per prior), boxes for ${source.count} priors`,
    );
  }
  const faceScores = new Float32Array(priors);
  for (let i = 0; i < priors; i++) faceScores[i] = scores[2 * i + 1]!;
  const boxAt = (i: number): Box => {
    const b = source.at(i);
    return {
      xmin: clamp01(b.xmin),
      ymin: clamp01(b.ymin),
      xmax: clamp01(b.xmax),
      ymax: clamp01(b.ymax),
    };
  };
  const kept = nonMaxSuppression(boxAt, faceScores, {
    scoreThreshold: options.scoreThreshold,
    iouThreshold: options.iouThreshold,
    maxDetections: options.maxFaces,
  });
  return kept
    .map((i) => ({ box: boxAt(i), score: faceScores[i]! }))
    .filter((f) => f.box.xmax > f.box.xmin && f.box.ymax > f.box.ymin);
}

/** The exported graph's `boxes` (x1 y1 x2 y2 per prior) read one prior at a time. */
function cornerArray(boxes: Float32Array): UlfdPriorBoxes {
  return {
    count: boxes.length / 4,
    at: (i) => ({
      xmin: boxes[4 * i]!,
      ymin: boxes[4 * i + 1]!,
      xmax: boxes[4 * i + 2]!,
      ymax: boxes[4 * i + 3]!,
    }),
  };
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
