import type { ObjectDetection } from '../detection/objectDetection.js';
import type { FaceResult } from '../faces/faceResult.js';
import type { Mat } from './cv.js';
import { colorForLabel, drawDetections } from './drawDetections.js';
import type { FrameImage } from './frameImage.js';

/**
 * A copy of the frame with each detection's box and "label #track score" drawn (a track's colour
 * stays the same from frame to frame), and each face's box with its identity (or "face"). The
 * caller releases it.
 */
export function annotateDetections(
  image: FrameImage,
  detections: readonly ObjectDetection[],
  faces: readonly FaceResult[] = [],
): Mat {
  return drawDetections(image.bgr(), [
    ...detections.map((d) => ({
      box: d.box,
      label: `${d.label}${d.trackId === undefined ? '' : ` #${d.trackId}`} ${d.score.toFixed(2)}`,
      // Stable across frames: a track keeps its colour, an untracked box takes its class's.
      color: colorForLabel(d.trackId === undefined ? d.label : `track ${d.trackId}`),
    })),
    ...faces.map((f) => ({
      box: f.box,
      label:
        f.identity === ''
          ? `face ${f.score.toFixed(2)}`
          : `${f.identity} ${f.identityScore.toFixed(2)}`,
    })),
  ]);
}
