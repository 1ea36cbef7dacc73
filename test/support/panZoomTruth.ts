import type { PanZoomCrop } from '../../src/image/panZoom.js';
import { iou, type Box } from '../../src/postprocess/box.js';
import type { MotObject } from '../../src/tracking/motMetrics.js';
import { MIN_VISIBLE } from './syntheticSequence.js';

/** An object found on a still photo, with the id it keeps in every frame made from that photo. */
export interface PhotoObject {
  readonly id: string;
  /** Photo pixels. */
  readonly box: Box;
}

/**
 * Ground truth of one pan-and-zoom frame: each photo object mapped through the frame's crop
 * (frame = (photo - crop corner) * scale, scale = output width / crop width; renderPanZoom
 * keeps the aspect ratio, so one scale serves both axes), clipped to the frame. An object with
 * less than MIN_VISIBLE of its mapped area inside the frame is not in `truth` (no detector can be
 * asked to box what is mostly outside the picture) but in `ignored`: a tracker that does box it
 * is not wrong either (a zoomed-in person whose legs are out of the picture is still a person),
 * so, as with MOTChallenge's distractors, tracks on it are taken out before scoring
 * ({@link withoutIgnored}).
 */
export function panZoomTruth(
  objects: readonly PhotoObject[],
  crop: PanZoomCrop,
  frame: { readonly width: number; readonly height: number },
): { truth: MotObject[]; ignored: MotObject[] } {
  const sx = frame.width / crop.width;
  const sy = frame.height / crop.height;
  const truth: MotObject[] = [];
  const ignored: MotObject[] = [];
  for (const o of objects) {
    const mapped: Box = {
      xmin: (o.box.xmin - crop.x) * sx,
      ymin: (o.box.ymin - crop.y) * sy,
      xmax: (o.box.xmax - crop.x) * sx,
      ymax: (o.box.ymax - crop.y) * sy,
    };
    const clipped: Box = {
      xmin: Math.max(0, mapped.xmin),
      ymin: Math.max(0, mapped.ymin),
      xmax: Math.min(frame.width, mapped.xmax),
      ymax: Math.min(frame.height, mapped.ymax),
    };
    const area = (b: Box): number => Math.max(0, b.xmax - b.xmin) * Math.max(0, b.ymax - b.ymin);
    const whole = area(mapped);
    if (whole <= 0 || area(clipped) <= 0) continue;
    (area(clipped) / whole >= MIN_VISIBLE ? truth : ignored).push({ id: o.id, box: clipped });
  }
  return { truth, ignored };
}

/** The tracks that do not overlap an ignored object by IoU >= `iouThreshold` (default 0.5). */
export function withoutIgnored(
  tracks: readonly MotObject[],
  ignored: readonly MotObject[],
  iouThreshold = 0.5,
): MotObject[] {
  return tracks.filter((t) => !ignored.some((g) => iou(t.box, g.box) >= iouThreshold));
}
