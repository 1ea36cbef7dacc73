/** An axis-aligned box by its corners. Units depend on context (normalised or pixels). */
export interface Box {
  readonly xmin: number;
  readonly ymin: number;
  readonly xmax: number;
  readonly ymax: number;
}

/** Area of a box; zero for an empty or inverted box. */
export function boxArea(b: Box): number {
  return Math.max(0, b.xmax - b.xmin) * Math.max(0, b.ymax - b.ymin);
}

/**
 * Intersection over union. Boxes with no area have IoU 0 with everything, as in TFLite's
 * detection post-process.
 */
export function iou(a: Box, b: Box): number {
  const areaA = (a.xmax - a.xmin) * (a.ymax - a.ymin);
  const areaB = (b.xmax - b.xmin) * (b.ymax - b.ymin);
  if (areaA <= 0 || areaB <= 0) return 0;
  const w = Math.max(0, Math.min(a.xmax, b.xmax) - Math.max(a.xmin, b.xmin));
  const h = Math.max(0, Math.min(a.ymax, b.ymax) - Math.max(a.ymin, b.ymin));
  const intersection = w * h;
  return intersection / (areaA + areaB - intersection);
}

/** Clamps a box to [0, width] x [0, height]. */
export function clampBox(b: Box, width: number, height: number): Box {
  return {
    xmin: Math.min(Math.max(b.xmin, 0), width),
    ymin: Math.min(Math.max(b.ymin, 0), height),
    xmax: Math.min(Math.max(b.xmax, 0), width),
    ymax: Math.min(Math.max(b.ymax, 0), height),
  };
}
