import type { ObjectDetection } from '../detection/objectDetection.js';
import type {
  Detection2D,
  Detection2DArray,
  Header,
  ObjectHypothesisWithPose,
} from '../messages/types.js';

/**
 * Prefix of the class_id of crop-classifier results in Detection2D.results: the detector's own
 * class comes first with a numeric id ("0"); classifier results follow as "classifier:<label>".
 */
export const CLASSIFIER_PREFIX = 'classifier:';

/**
 * Builds vision_msgs/Detection2DArray from detections in source pixels. The header is the
 * frame's, unchanged. Each Detection2D's first result is the detector's class: class_id is the
 * label's numeric id as a string (names come from LabelInfo); further results may follow.
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
        hypothesis(String(d.classId), d.score),
        ...(d.classification ?? []).map((c) =>
          hypothesis(`${CLASSIFIER_PREFIX}${c.label}`, c.score),
        ),
      ],
      bbox: {
        center: {
          position: { x: (d.box.xmin + d.box.xmax) / 2, y: (d.box.ymin + d.box.ymax) / 2 },
          theta: 0,
        },
        size_x: d.box.xmax - d.box.xmin,
        size_y: d.box.ymax - d.box.ymin,
      },
      id: '',
    })),
  };
}

function hypothesis(classId: string, score: number): ObjectHypothesisWithPose {
  return {
    hypothesis: { class_id: classId, score },
    pose: {
      pose: { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
      covariance: new Float64Array(36),
    },
  };
}
