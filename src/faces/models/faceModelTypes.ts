import type { Point } from '../../image/modelInputTransform.js';
import type { Box } from '../../postprocess/box.js';
import type { FrameImage } from '../../image/frameImage.js';
import type { FaceExpression } from '../../models/tfjs/faceApiExpression.js';
import type { FiveLandmarks, Gender } from '../faceResult.js';
import type { RegionPlan } from '../regionClusters.js';
import type { FaceCrops } from './faceCrops.js';

/**
 * What each stage of the face branch asks of its model, whichever model the config selects.
 * Every implementation owns no session: FaceModels opens and closes them.
 */

/** Thresholds of a face detector run. */
export interface FaceDetectOptions {
  readonly scoreThreshold: number;
  readonly iouThreshold: number;
  readonly maxFaces: number;
}

/** A region of the frame to search, and how it is laid onto the detector's input. */
export interface DetectRegion {
  readonly box: Box;
  /** 'frame': the whole image; 'person': a person box (aspect kept). */
  readonly kind: 'frame' | 'person';
}

export interface FaceDetectorModel {
  /** The input a region would get by itself, and its scale there (for grouping regions). */
  plan(box: Box): RegionPlan;
  /** Faces in one region, boxes in source pixels clamped to the image, best first. */
  detect(
    image: FrameImage,
    region: DetectRegion,
    options: FaceDetectOptions,
  ): Promise<{ box: Box; score: number }[]>;
}

export interface FaceLandmarkModel {
  /** 68 points (iBUG order) per face, source pixels. */
  landmarks(crops: FaceCrops): Promise<Point[][]>;
}

export interface FaceEmbeddingModel {
  /** Embedding length. */
  readonly dimension: number;
  /**
   * L2-normalised embeddings, one per face (given by its five landmarks). `onInput` sees the
   * model's input batch (for calibration tools); the array is not kept.
   */
  embed(
    image: FrameImage,
    faces: readonly FiveLandmarks[],
    onInput?: (input: Float32Array, count: number) => void,
  ): Promise<Float32Array[]>;
}

export interface AgeGender {
  readonly age: number;
  readonly gender: Gender;
  /** Probability of `gender`, in [0.5, 1]. */
  readonly genderScore: number;
}

export interface FaceAgeGenderModel {
  estimate(crops: FaceCrops): Promise<AgeGender[]>;
}

export interface ExpressionEstimate {
  readonly expression: FaceExpression;
  readonly score: number;
  /** Probability of each of FACE_EXPRESSIONS, in that order. */
  readonly probabilities: Float32Array;
}

export interface FaceExpressionModel {
  estimate(crops: FaceCrops): Promise<ExpressionEstimate[]>;
}
