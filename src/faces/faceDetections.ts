import type { Detection2D, Detection2DArray, Header } from '../messages/types.js';
import type { FaceResult } from './faceResult.js';

/**
 * The faces of one frame as vision_msgs/Detection2DArray, for tools that only know vision_msgs
 * (/faces/detections). class_id is the identity when the face was recognised, else "face";
 * score is the identity score when recognised, else the detector score. `id` holds the identity
 * too (empty when unknown). The header is the frame's, unchanged.
 */
export function faceDetections(header: Header, faces: readonly FaceResult[]): Detection2DArray {
  return {
    header,
    detections: faces.map((f): Detection2D => ({
      header,
      results: [
        {
          hypothesis:
            f.identity === ''
              ? { class_id: 'face', score: f.score }
              : { class_id: f.identity, score: f.identityScore },
          pose: {
            pose: { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
            covariance: new Float64Array(36),
          },
        },
      ],
      bbox: {
        center: {
          position: { x: (f.box.xmin + f.box.xmax) / 2, y: (f.box.ymin + f.box.ymax) / 2 },
          theta: 0,
        },
        size_x: f.box.xmax - f.box.xmin,
        size_y: f.box.ymax - f.box.ymin,
      },
      id: f.identity,
    })),
  };
}
