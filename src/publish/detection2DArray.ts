import type { ObjectDetection } from '../detection/objectDetection.js';
import type { Detection2D, Detection2DArray, Header } from '../messages/types.js';
import { boundingBox2D, hypothesisWithoutPose } from './visionParts.js';

/**
 * Prefix of the class_id of crop-classifier results in Detection2D.results: the detector's own
 * class comes first with a numeric id ("0"); classifier results follow as "classifier:<label>".
 */
export const CLASSIFIER_PREFIX = 'classifier:';

/**
 * Builds vision_msgs/Detection2DArray from detections in source pixels. The header is the
 * frame's, unchanged. Each Detection2D's first result is the detector's class: class_id is the
 * label's numeric id as a string (names come from LabelInfo); further results may follow. The
 * id is the detection's track id (unique per camera), empty when it has none.
 */
export function detection2DArray(
  header: Header,
  detections: readonly ObjectDetection[],
): Detection2DArray {
  return {
    header,
    detections: detections.map((d): Detection2D => ({
      header,
      results: [
        hypothesisWithoutPose(String(d.classId), d.score),
        ...(d.classification ?? []).map((c) =>
          hypothesisWithoutPose(`${CLASSIFIER_PREFIX}${c.label}`, c.score),
        ),
      ],
      bbox: boundingBox2D(d.box),
      id: d.trackId ?? '',
    })),
  };
}
