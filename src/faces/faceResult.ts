import type { Box } from '../postprocess/box.js';
import type { Point } from '../image/modelInputTransform.js';
import type { FaceExpression } from '../models/tfjs/faceApiExpression.js';

/**
 * The five alignment points in source pixels, in this order: the eye on the image's left (the
 * subject's right eye), the eye on the image's right, the nose tip, the mouth corner on the
 * image's left, the mouth corner on the image's right.
 */
export type FiveLandmarks = readonly [Point, Point, Point, Point, Point];

/** Gender as the age/gender model estimates it ('unknown' when attributes are off); weak, see FaceResult.genderScore. */
export type Gender = 'female' | 'male' | 'unknown';

/** One face found in a frame: plain data, no native handles. */
export interface FaceResult {
  /** Corners in source-image pixels (continuous coordinates), clamped to the image. */
  readonly box: Box;
  /** Detector score in [0, 1]. */
  readonly score: number;
  readonly landmarks: FiveLandmarks;
  /** L2-normalised embedding (MobileFaceNet, 512 values). */
  readonly embedding: Float32Array;
  /**
   * The matched gallery name, or '' when the face is unknown (or no gallery is loaded). For a
   * face on a person track (`trackId`), the track's name: a vote over its recent faces, kept
   * while the face is hidden or turned away (see TrackIdentities); this frame's own match is
   * then in `frameIdentity`.
   */
  readonly identity: string;
  /**
   * Cosine similarity with the matched person; 0 when unknown. For a face on a track, the mean
   * similarity of the track's recent faces that named it.
   */
  readonly identityScore: number;
  /** The confirmed person track the face is in (same camera's ids); absent when none. */
  readonly trackId?: string;
  /** This frame's own gallery match ('' unknown), present when `identity` is the track's vote. */
  readonly frameIdentity?: string;
  /** Cosine similarity of `frameIdentity`; present with it. */
  readonly frameIdentityScore?: number;
  /** Estimated age in years; NaN when attributes are disabled. */
  readonly age: number;
  readonly gender: Gender;
  /**
   * Probability of `gender` in [0.5, 1] as the model states it (0 when unknown). The model is
   * weak (wrong on some clear faces in our tests): treat it as a hint, not a fact.
   */
  readonly genderScore: number;
  /** The most likely facial expression; absent when expressions are off. */
  readonly expression?: FaceExpression;
  /** Its probability in [0, 1]; present with `expression`. */
  readonly expressionScore?: number;
  /** The probability of each of FACE_EXPRESSIONS, in that order; present with `expression`. */
  readonly expressions?: Float32Array;
}

/** Milliseconds spent in each stage of the face branch for one frame. */
export interface FaceTimings {
  /** Preprocessing, detector inference and NMS, over all regions. */
  detectMs: number;
  /** 68-point landmarks for all faces (crops, one batched run, 68 -> 5). */
  landmarksMs: number;
  /** The embedding: each face's crop or alignment warp, one batched run, L2 normalisation. */
  embeddingMs: number;
  /** Age and gender (crops, one batched run per model). */
  attributesMs: number;
  /** Facial expression (one batched run; shares the crops of the landmarks). */
  expressionMs: number;
  /** Gallery matching. */
  matchMs: number;
  /** Number of faces processed. */
  faces: number;
  /** Regions searched for faces (person boxes, or 1 for the whole frame). */
  regions: number;
  /** Face-detector runs they took (person regions that fit one input together share a run). */
  canvases: number;
}

/** Timings with every stage at 0. */
export function emptyFaceTimings(): FaceTimings {
  return {
    detectMs: 0,
    landmarksMs: 0,
    embeddingMs: 0,
    attributesMs: 0,
    expressionMs: 0,
    matchMs: 0,
    faces: 0,
    regions: 0,
    canvases: 0,
  };
}
