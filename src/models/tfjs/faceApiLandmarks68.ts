import { OnnxDataType } from '../onnx/onnxGraphBuilder.js';
import {
  addFaceApiDenseFeatures,
  FACE_API_DENSE_FEATURES,
  FACE_API_DENSE_INPUT_SIZE,
} from './faceApiDenseFeatures.js';
import { TfjsGraph } from './tfjsGraph.js';
import type { TfjsWeights } from './tfjsWeights.js';

/**
 * face-api's 68-point face landmark net (`face_landmark_68_model`, @vladmandic/face-api 1.7.15,
 * MIT) rebuilt as an ONNX graph from its TF.js weights: the dense-block extractor of
 * faceApiDenseFeatures.ts, then one fully connected layer from 256 features to 136 numbers.
 *
 * Output `landmarks` [batch, 136] is what the net computes, unchanged: x0, y0, x1, y1, ... x67,
 * y67, each a fraction of the 112x112 input (0 = left/top edge, 1 = right/bottom edge; values a
 * little outside [0, 1] are possible). The points follow the iBUG 300-W order (see
 * {@link FACE_LANDMARKS_68_REGIONS}).
 *
 * The crop face-api feeds it: the detector's face box as it is (no margin, no squaring), clipped
 * to the image and floored to whole pixels, then padded with black (RGB 0) on both sides of its
 * shorter dimension to a centred square, and resized bilinearly to 112x112 (TF.js resizeBilinear
 * without half-pixel centres). A caller can cut the same input with a centred 'fit' mapping of
 * the box onto 112x112 and a black border outside the box. face-api then maps each point back to
 * the box with {@link faceApiLandmarkToCrop}.
 */
export const FACE_LANDMARKS_68 = {
  /** Input side in pixels (square). */
  inputSize: FACE_API_DENSE_INPUT_SIZE,
  inputName: 'input',
  /** [batch, 136]: x0, y0, ... x67, y67 as fractions of the 112x112 input. */
  outputName: 'landmarks',
  points: 68,
} as const;

/**
 * Index ranges [first, last] of the 68 points (iBUG 300-W). "Left" and "right" are as seen in
 * the image: `leftEye` is the eye on the image's left (the person's right eye).
 */
export const FACE_LANDMARKS_68_REGIONS = {
  jaw: [0, 16],
  leftBrow: [17, 21],
  rightBrow: [22, 26],
  nose: [27, 35],
  leftEye: [36, 41],
  rightEye: [42, 47],
  mouth: [48, 67],
} as const;

/** Builds the ONNX model; every tensor's shape is checked against the architecture. */
export function buildFaceLandmarks68Onnx(weights: TfjsWeights): Uint8Array {
  const g = new TfjsGraph('face_api_landmarks_68');
  const size = FACE_LANDMARKS_68.inputSize;
  const input = g.builder.addInput(FACE_LANDMARKS_68.inputName, OnnxDataType.float, [
    'batch',
    3,
    size,
    size,
  ]);
  const features = addFaceApiDenseFeatures(g, weights, input);
  const outputs = FACE_LANDMARKS_68.points * 2;
  const fcWeights = weights.get('fc/weights', [FACE_API_DENSE_FEATURES, outputs]);
  const fcBias = weights.get('fc/bias', [outputs]);
  g.builder.addNode(
    'Gemm',
    [
      features,
      g.constant(fcWeights.name, [FACE_API_DENSE_FEATURES, outputs], fcWeights.data),
      g.constant(fcBias.name, [outputs], fcBias.data),
    ],
    [FACE_LANDMARKS_68.outputName],
  );
  g.builder.addOutput(FACE_LANDMARKS_68.outputName, OnnxDataType.float, ['batch', outputs]);
  return g.builder.toBytes({
    opset: 13,
    docString:
      "face-api's 68-point face landmark net (face_landmark_68_model) rebuilt by mobilenet-ros " +
      'from the TF.js weights of @vladmandic/face-api 1.7.15 (MIT). Input: float32 NCHW ' +
      '[batch, 3, 112, 112], RGB 0..255, the face box padded with black to a centred square. ' +
      'Output landmarks [batch, 136]: x0, y0, ... x67, y67 as fractions of the 112x112 input.',
  });
}

/**
 * Maps one output point (fractions of the 112x112 input) to pixels of the face box it was cut
 * from, as face-api does: the box of `width` x `height` pixels was padded by (side - width) / 2
 * on the left and right or (side - height) / 2 on the top and bottom, side = max(width, height).
 * Add the box's top-left corner for frame pixels.
 */
export function faceApiLandmarkToCrop(
  x: number,
  y: number,
  width: number,
  height: number,
): { x: number; y: number } {
  const side = Math.max(width, height);
  return { x: x * side - (side - width) / 2, y: y * side - (side - height) / 2 };
}
