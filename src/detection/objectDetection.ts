import type { Classification } from '../classification/cropClassifier.js';
import type { Box } from '../postprocess/box.js';

/** One detected object in pixels of the source image. */
export interface ObjectDetection {
  /** The label's numeric id (index into the labels file). */
  readonly classId: number;
  readonly label: string;
  readonly score: number;
  /** Corners in source-image pixels, clamped to the image. */
  readonly box: Box;
  /** The crop classifier's top-k for this box, when the classifier ran on it. */
  readonly classification?: readonly Classification[];
  /**
   * Id of the confirmed track this detection belongs to (tracking.enabled), unique per camera
   * ("1", "2", ...); undefined when tracking is off or the track is still tentative.
   */
  readonly trackId?: string;
}
