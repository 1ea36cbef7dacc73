import type { Box } from '../postprocess/box.js';
import { nonMaxSuppression } from '../postprocess/nms.js';

/**
 * Post-processing of face-api's SSD MobileNetV1 face detector as built by
 * src/models/tfjs/faceApiSsdMobilenetV1.ts, whose graph already applies the sigmoid and decodes
 * the boxes against the anchors. What is left: score threshold, greedy NMS and mapping the boxes
 * from the square model input back to the image.
 *
 * Input geometry the caller must produce (face-api's own): the image is padded to a square of
 * side max(width, height) with zeros at the bottom (landscape) or right (portrait), the top-left
 * corner staying at the origin, and that square is resized to 512x512 RGB. In the continuous
 * pixel convention that is `x_in = x * 512 / max(width, height)` on both axes, i.e. the region
 * {@link ssdSquareRegion} stretched onto 512x512 with border value 0.
 */
export const SSD_FACE_INPUT_SIZE = 512;

/** Options of {@link decodeSsdFaces}; the defaults are face-api's. */
export interface SsdFaceDecodeOptions {
  /** Faces must score strictly above this, in [0, 1). face-api's default 0.5. */
  readonly scoreThreshold: number;
  /** A box overlapping a kept one by more than this IoU is suppressed. face-api uses 0.5. */
  readonly iouThreshold: number;
  /** At most this many faces. face-api's default 100. */
  readonly maxFaces: number;
}

export const SSD_FACE_DEFAULTS: SsdFaceDecodeOptions = {
  scoreThreshold: 0.5,
  iouThreshold: 0.5,
  maxFaces: 100,
};

/** One face, its box normalised to the original image ([0, 1] over its width and height). */
export interface SsdFace {
  readonly box: Box;
  readonly score: number;
}

/**
 * The square of the padded image in image pixels: [0, side] x [0, side], side = max(width,
 * height). Stretching it onto 512x512 (zeros outside the image) gives the model's input.
 */
export function ssdSquareRegion(width: number, height: number): Box {
  checkSize(width, height);
  const side = Math.max(width, height);
  return { xmin: 0, ymin: 0, xmax: side, ymax: side };
}

/**
 * Faces of one image from one batch item of the model's outputs: `scores` [anchors] face
 * probabilities and `boxes` [anchors * 4] as [ymin, xmin, ymax, xmax] normalised to the 512x512
 * input. NMS runs on the unclipped input-space boxes (as face-api does); kept boxes are then
 * clipped to the input, mapped to the image of `width` x `height` pixels and clipped to it.
 * Faces come in decreasing score; a box with no area left after clipping is dropped.
 *
 * @throws RangeError when the arrays disagree, or for a bad size or option.
 */
export function decodeSsdFaces(
  scores: Float32Array,
  boxes: Float32Array,
  width: number,
  height: number,
  options: SsdFaceDecodeOptions = SSD_FACE_DEFAULTS,
): SsdFace[] {
  const anchors = scores.length;
  if (boxes.length !== anchors * 4) {
    throw new RangeError(
      `SSD outputs disagree: ${anchors} scores but ${boxes.length} box values (4 per anchor)`,
    );
  }
  checkSize(width, height);
  const { scoreThreshold, iouThreshold, maxFaces } = options;
  if (!(scoreThreshold >= 0 && scoreThreshold < 1)) {
    throw new RangeError(`'scoreThreshold' must be in [0, 1), got ${scoreThreshold}`);
  }
  if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
    throw new RangeError(`'iouThreshold' must be in [0, 1], got ${iouThreshold}`);
  }
  if (!Number.isInteger(maxFaces) || maxFaces < 1) {
    throw new RangeError(`'maxFaces' must be an integer >= 1, got ${maxFaces}`);
  }

  // face-api keeps scores strictly above the threshold; the shared NMS keeps those at or above,
  // so scores at the threshold are pushed below it.
  const eligible = new Float32Array(anchors);
  for (let i = 0; i < anchors; i++) {
    const s = scores[i]!;
    eligible[i] = s > scoreThreshold ? s : -Infinity;
  }
  const inputBox = (i: number): Box => ({
    ymin: boxes[4 * i]!,
    xmin: boxes[4 * i + 1]!,
    ymax: boxes[4 * i + 2]!,
    xmax: boxes[4 * i + 3]!,
  });
  const kept = nonMaxSuppression(inputBox, eligible, {
    scoreThreshold,
    iouThreshold,
    maxDetections: maxFaces,
  });

  // The image covers [0, width/side] x [0, height/side] of the input square.
  const side = Math.max(width, height);
  const sx = side / width;
  const sy = side / height;
  const faces: SsdFace[] = [];
  for (const i of kept) {
    const b = inputBox(i);
    const box = {
      xmin: clamp01(clamp01(b.xmin) * sx),
      ymin: clamp01(clamp01(b.ymin) * sy),
      xmax: clamp01(clamp01(b.xmax) * sx),
      ymax: clamp01(clamp01(b.ymax) * sy),
    };
    if (box.xmax > box.xmin && box.ymax > box.ymin) faces.push({ box, score: scores[i]! });
  }
  return faces;
}

function checkSize(width: number, height: number): void {
  if (!(width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height))) {
    throw new RangeError(`image size must be positive, got ${width}x${height}`);
  }
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
