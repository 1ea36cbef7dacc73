import type { Box } from '../postprocess/box.js';

/**
 * The crop a face model sees: the face box scaled by `scale` about its centre, then moved (not
 * shrunk) to lie inside the image where it fits, as the models' reference code crops. A crop
 * larger than the image stays centred on the face; what falls outside is border.
 */
export function faceCrop(box: Box, scale: number, imageWidth: number, imageHeight: number): Box {
  const cx = (box.xmin + box.xmax) / 2;
  const cy = (box.ymin + box.ymax) / 2;
  const w = (box.xmax - box.xmin) * scale;
  const h = (box.ymax - box.ymin) * scale;
  const [xmin, xmax] = shiftInside(cx - w / 2, cx + w / 2, imageWidth);
  const [ymin, ymax] = shiftInside(cy - h / 2, cy + h / 2, imageHeight);
  return { xmin, ymin, xmax, ymax };
}

function shiftInside(lo: number, hi: number, size: number): [number, number] {
  if (hi - lo >= size) return [lo, hi];
  if (lo < 0) return [0, hi - lo];
  if (hi > size) return [lo - (hi - size), size];
  return [lo, hi];
}

/** Grows a box by `fraction` of its width and height on every side, clamped to the image. */
export function expandBox(
  box: Box,
  fraction: number,
  imageWidth: number,
  imageHeight: number,
): Box {
  const dx = (box.xmax - box.xmin) * fraction;
  const dy = (box.ymax - box.ymin) * fraction;
  return {
    xmin: Math.max(0, box.xmin - dx),
    ymin: Math.max(0, box.ymin - dy),
    xmax: Math.min(imageWidth, box.xmax + dx),
    ymax: Math.min(imageHeight, box.ymax + dy),
  };
}
