import { boundingBox2D, hypothesisWithoutPose } from './visionParts.js';
import type { Detection2D, Detection2DArray, Header } from '../messages/types.js';
import type { FaceResult } from '../faces/faceResult.js';

/**
 * The faces of one frame as vision_msgs/Detection2DArray, for tools that only know vision_msgs
 * (/faces/detections). class_id is the identity when the face was recognised, else "face";
 * score is the identity score when recognised, else the detector score (for a face on a person
 * track, the track's voted name and its mean similarity). `id` is the id of the person track
 * the face is in, as on the detections topic (empty when none; before issue #15 it repeated
 * the identity, which class_id holds). The header is the frame's, unchanged.
 */
export function faceDetections(header: Header, faces: readonly FaceResult[]): Detection2DArray {
  return {
    header,
    detections: faces.map((f): Detection2D => ({
      header,
      results: [
        f.identity === ''
          ? hypothesisWithoutPose('face', f.score)
          : hypothesisWithoutPose(f.identity, f.identityScore),
      ],
      bbox: boundingBox2D(f.box),
      id: f.trackId ?? '',
    })),
  };
}
