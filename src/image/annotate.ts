import type { ObjectDetection } from '../detection/objectDetection.js';
import type { Mat } from './cv.js';
import { drawDetections } from './drawDetections.js';
import type { FrameImage } from './frameImage.js';

/** A copy of the frame with each detection's box and "label score" drawn. The caller releases it. */
export function annotateDetections(image: FrameImage, detections: readonly ObjectDetection[]): Mat {
  return drawDetections(
    image.bgr(),
    detections.map((d) => ({ box: d.box, label: `${d.label} ${d.score.toFixed(2)}` })),
  );
}
