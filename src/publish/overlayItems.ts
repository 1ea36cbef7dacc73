import type { ObjectDetection } from '../detection/objectDetection.js';
import type { FaceResult } from '../faces/faceResult.js';
import { colorForLabel, type OverlayItem } from '../image/overlayItem.js';

/** What a face's overlay needs of its result. */
export type OverlaidFace = Pick<FaceResult, 'box' | 'score' | 'identity' | 'identityScore'>;

/**
 * What an annotated frame shows, as plain boxes with captions for image/annotateFrame.ts: each
 * detection's box with "label #track score" (a track keeps its colour from frame to frame), and
 * each face's box with its identity (or "face") and score.
 */
export function overlayItems(
  detections: readonly ObjectDetection[],
  faces: readonly OverlaidFace[] = [],
): OverlayItem[] {
  return [
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
  ];
}
