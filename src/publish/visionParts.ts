import type { BoundingBox2D, ObjectHypothesisWithPose } from '../messages/types.js';
import type { Box } from '../postprocess/box.js';

/** vision_msgs/BoundingBox2D of a corner box: centre and size, in the same units, no rotation. */
export function boundingBox2D(box: Box): BoundingBox2D {
  return {
    center: { position: { x: (box.xmin + box.xmax) / 2, y: (box.ymin + box.ymax) / 2 }, theta: 0 },
    size_x: box.xmax - box.xmin,
    size_y: box.ymax - box.ymin,
  };
}

/** A class hypothesis without a pose (identity pose, zero covariance): 2D detections have none. */
export function hypothesisWithoutPose(classId: string, score: number): ObjectHypothesisWithPose {
  return {
    hypothesis: { class_id: classId, score },
    pose: {
      pose: { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
      covariance: new Float64Array(36),
    },
  };
}
