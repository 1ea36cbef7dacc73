import { attr, OnnxDataType } from '../onnx/onnxGraphBuilder.js';
import {
  addFaceApiDenseFeatures,
  FACE_API_DENSE_FEATURES,
  FACE_API_DENSE_INPUT_SIZE,
} from './faceApiDenseFeatures.js';
import { TfjsGraph } from './tfjsGraph.js';
import type { TfjsWeights } from './tfjsWeights.js';

/**
 * face-api's facial expression net (`face_expression_model`, @vladmandic/face-api 1.7.15, MIT)
 * rebuilt as an ONNX graph from its TF.js weights: the dense-block extractor of
 * faceApiDenseFeatures.ts (its own weights, not the landmark net's), one fully connected layer
 * from 256 features to 7 logits, and a softmax.
 *
 * The crop face-api feeds it: when 68 landmarks were computed first (the usual
 * `withFaceLandmarks().withFaceExpressions()`), the bounding box of the 68 points grown by 10% of
 * its width and of its height on each side; otherwise the detector's face box. The box is clipped
 * to the image, padded with black (RGB 0) on both sides of its shorter dimension to a centred
 * square and resized bilinearly to 112x112. No rotation.
 */

/** The seven expressions, in the order of the columns of output `expressions`. */
export const FACE_EXPRESSIONS = [
  'neutral',
  'happy',
  'sad',
  'angry',
  'fearful',
  'disgusted',
  'surprised',
] as const;

export type FaceExpression = (typeof FACE_EXPRESSIONS)[number];

export const FACE_EXPRESSION_MODEL = {
  /** Input side in pixels (square). */
  inputSize: FACE_API_DENSE_INPUT_SIZE,
  inputName: 'input',
  /** [batch, 7]: softmax probabilities in the order of {@link FACE_EXPRESSIONS}. */
  outputName: 'expressions',
} as const;

/** Builds the ONNX model; every tensor's shape is checked against the architecture. */
export function buildFaceExpressionOnnx(weights: TfjsWeights): Uint8Array {
  const g = new TfjsGraph('face_api_expression');
  const size = FACE_EXPRESSION_MODEL.inputSize;
  const input = g.builder.addInput(FACE_EXPRESSION_MODEL.inputName, OnnxDataType.float, [
    'batch',
    3,
    size,
    size,
  ]);
  const features = addFaceApiDenseFeatures(g, weights, input);
  const classes = FACE_EXPRESSIONS.length;
  const logits = g.dense(
    features,
    weights.get('fc/weights', [FACE_API_DENSE_FEATURES, classes]),
    weights.get('fc/bias', [classes]),
  );
  g.builder.addNode('Softmax', [logits], [FACE_EXPRESSION_MODEL.outputName], {
    axis: attr.int(1),
  });
  g.builder.addOutput(FACE_EXPRESSION_MODEL.outputName, OnnxDataType.float, ['batch', classes]);
  return g.builder.toBytes({
    opset: 13,
    docString:
      "face-api's facial expression net (face_expression_model) rebuilt by mobilenet-ros from " +
      'the TF.js weights of @vladmandic/face-api 1.7.15 (MIT). Input: float32 NCHW ' +
      '[batch, 3, 112, 112], RGB 0..255, the face box padded with black to a centred square. ' +
      `Output expressions [batch, 7]: softmax probabilities of ${FACE_EXPRESSIONS.join(', ')}.`,
  });
}
