import type { Mat } from './cv.js';
import { drawDetections } from './drawDetections.js';
import type { FrameImage } from './frameImage.js';
import type { OverlayItem } from './overlayItem.js';

/**
 * A copy of the frame with these boxes and captions drawn (see drawDetections); the caller
 * releases it. It takes plain shapes: which boxes, captions and colours a result shows is
 * decided above image/ (publish/overlayItems.ts).
 */
export function annotateFrame(image: FrameImage, items: readonly OverlayItem[]): Mat {
  return drawDetections(image.bgr(), items);
}
