import type { Box } from '../postprocess/box.js';

// What the drawing code takes: plain boxes, captions and colours, no OpenCV and no domain
// results (publish/overlayItems.ts turns detections and faces into these), so that code above
// image/ can build overlays without loading OpenCV.

/** A colour as red, green, blue, each 0..255. */
export type RgbColor = readonly [number, number, number];

/** One box to draw, with its caption (e.g. "person 0.87"). */
export interface OverlayItem {
  /** Corners in pixels of the image drawn on. */
  readonly box: Box;
  readonly label: string;
  /** Box and caption background. Default: a colour picked from the label text, stable per label. */
  readonly color?: RgbColor;
}

// Distinct, saturated colours (RGB) that stay readable with black or white text.
const PALETTE: readonly RgbColor[] = [
  [230, 25, 75],
  [60, 180, 75],
  [255, 225, 25],
  [0, 130, 200],
  [245, 130, 48],
  [145, 30, 180],
  [70, 240, 240],
  [240, 50, 230],
  [210, 245, 60],
  [0, 128, 128],
];

/** The default colour for a label: the same label always gets the same colour. */
export function colorForLabel(label: string): RgbColor {
  let hash = 0;
  for (let i = 0; i < label.length; i++) hash = (hash * 31 + label.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}
