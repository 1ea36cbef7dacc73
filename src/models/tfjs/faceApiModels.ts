import { ModelError } from '../../errors.js';
import { buildFaceAgeGenderOnnx } from './faceApiAgeGender.js';
import { buildFaceExpressionOnnx } from './faceApiExpression.js';
import { buildFaceLandmarks68Onnx } from './faceApiLandmarks68.js';
import { buildFaceRecognitionOnnx } from './faceApiRecognition.js';
import { buildFaceSsdMobilenetV1Onnx } from './faceApiSsdMobilenetV1.js';
import type { TfjsWeights } from './tfjsWeights.js';

/**
 * face-api's networks that `models prepare` builds (manifest `architecture`), each written here
 * from the library's published architecture; the weights come from its TF.js manifests.
 */
const BUILDERS: Readonly<Record<string, (weights: TfjsWeights) => Uint8Array>> = {
  ssd_mobilenetv1: buildFaceSsdMobilenetV1Onnx,
  face_recognition: buildFaceRecognitionOnnx,
  face_landmark_68: buildFaceLandmarks68Onnx,
  face_expression: buildFaceExpressionOnnx,
  age_gender: buildFaceAgeGenderOnnx,
};

/** The ONNX model of one face-api network. */
export function buildFaceApiModel(
  architecture: string | undefined,
  weights: TfjsWeights,
  name: string,
): Uint8Array {
  const build = architecture === undefined ? undefined : BUILDERS[architecture];
  if (build === undefined) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `${name}: recipe tfjs-face-api needs an 'architecture' of ${Object.keys(BUILDERS).join(', ')}; got ${String(architecture)}`,
    );
  }
  return build(weights);
}
