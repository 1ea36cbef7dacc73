import type { Point } from '../image/modelInputTransform.js';
import type { AffineMatrix } from '../image/warpAffine.js';
import type { FiveLandmarks } from './faceResult.js';
import { similarityTransform } from './similarityTransform.js';

/** Side of the aligned face the embedding model takes, in pixels. */
export const ALIGNED_FACE_SIZE = 112;

/**
 * The standard ArcFace 112x112 template (insightface `arcface_dst`), in OpenCV pixel
 * coordinates (pixel centres at integers): eyes, nose tip, mouth corners, in FiveLandmarks order.
 */
export const ARCFACE_TEMPLATE: FiveLandmarks = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

/**
 * The OpenCV warp matrix that aligns a face to the ArcFace template: the least-squares
 * similarity transform from its five landmarks (continuous source-pixel coordinates) to the
 * template.
 */
export function alignmentMatrix(landmarks: FiveLandmarks): AffineMatrix {
  return alignmentMatrixTo(landmarks, ARCFACE_TEMPLATE);
}

/** The similarity transform that maps the five landmarks onto `template` (pixel centres). */
export function alignmentMatrixTo(landmarks: FiveLandmarks, template: FiveLandmarks): AffineMatrix {
  // Landmarks are continuous (pixel i covers [i, i+1)); the template is in pixel centres.
  const source = landmarks.map((p): Point => ({ x: p.x - 0.5, y: p.y - 0.5 }));
  return similarityTransform(source, template);
}
