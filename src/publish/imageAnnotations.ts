import type { ObjectDetection } from '../detection/objectDetection.js';
import {
  PointsAnnotationType,
  type Color,
  type Header,
  type ImageAnnotations,
  type Point2,
  type PointsAnnotation,
  type TextAnnotation,
  type Time,
} from '../messages/types.js';
import type { Box } from '../postprocess/box.js';
import { contrastingTextColor, trackColor } from './trackColor.js';

/** What the builder needs of a face: its box and landmarks in source pixels (FaceResult has both). */
export interface AnnotatedFace {
  readonly box: Box;
  readonly landmarks: readonly { readonly x: number; readonly y: number }[];
}

/** Options of {@link imageAnnotations}. */
export interface ImageAnnotationsOptions {
  /** Outline width of boxes in pixels. Default 2. */
  readonly thickness?: number;
  /** Label text height in pixels. Default 14. */
  readonly fontSize?: number;
  /** Diameter of landmark points in pixels. Default 4. */
  readonly pointSize?: number;
}

/** Outline of face boxes and colour of their landmarks: one colour, apart from the track palette. */
export const FACE_COLOR: Color = Object.freeze({ r: 0, g: 1, b: 1, a: 1 });

const TRANSPARENT: Color = Object.freeze({ r: 0, g: 0, b: 0, a: 0 });

/**
 * Builds foxglove_msgs/ImageAnnotations for one frame, for Foxglove's Image panel to draw over
 * that frame: per detection a LINE_LOOP through the box's four corners, outlined in its track's
 * colour (untracked: neutral grey), and a label "label score #id" at the box's top-left corner on
 * a background of the same colour; per face a LINE_LOOP around its box and its landmarks as
 * POINTS. Coordinates are source-image pixels, as the detections carry them. Every annotation is
 * stamped with the frame's header stamp, which is how the panel matches annotations to images.
 */
export function imageAnnotations(
  header: Header,
  detections: readonly ObjectDetection[],
  faces: readonly AnnotatedFace[] = [],
  options: ImageAnnotationsOptions = {},
): ImageAnnotations {
  const thickness = options.thickness ?? 2;
  const fontSize = options.fontSize ?? 14;
  const pointSize = options.pointSize ?? 4;
  const stamp = header.stamp;
  const points: PointsAnnotation[] = [];
  const texts: TextAnnotation[] = [];
  for (const d of detections) {
    const color = trackColor(d.trackId);
    points.push(lineLoop(stamp, d.box, color, thickness));
    texts.push({
      timestamp: stamp,
      position: { x: d.box.xmin, y: d.box.ymin },
      text: detectionLabel(d),
      font_size: fontSize,
      text_color: contrastingTextColor(color),
      background_color: { ...color, a: 0.8 },
    });
  }
  for (const face of faces) {
    points.push(lineLoop(stamp, face.box, FACE_COLOR, thickness));
    if (face.landmarks.length > 0) {
      points.push({
        timestamp: stamp,
        type: PointsAnnotationType.points,
        points: face.landmarks.map((p) => ({ x: p.x, y: p.y })),
        outline_color: FACE_COLOR,
        outline_colors: [],
        fill_color: FACE_COLOR,
        thickness: pointSize,
      });
    }
  }
  return { circles: [], points, texts };
}

/** "person 0.87 #3"; without a track: "person 0.87". */
export function detectionLabel(d: Pick<ObjectDetection, 'label' | 'score' | 'trackId'>): string {
  const base = `${d.label} ${d.score.toFixed(2)}`;
  return d.trackId === undefined || d.trackId === '' ? base : `${base} #${d.trackId}`;
}

function lineLoop(stamp: Time, box: Box, color: Color, thickness: number): PointsAnnotation {
  return {
    timestamp: stamp,
    type: PointsAnnotationType.lineLoop,
    points: corners(box),
    outline_color: color,
    outline_colors: [],
    fill_color: TRANSPARENT,
    thickness,
  };
}

/** Clockwise from the top-left, in image coordinates (y down). */
function corners(box: Box): Point2[] {
  return [
    { x: box.xmin, y: box.ymin },
    { x: box.xmax, y: box.ymin },
    { x: box.xmax, y: box.ymax },
    { x: box.xmin, y: box.ymax },
  ];
}
