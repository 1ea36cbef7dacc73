import { assertBgrMat } from './assertBgrMat.js';
import cv from './cv.js';
import type { Mat } from './cv.js';
import { colorForLabel, type OverlayItem, type RgbColor } from './overlayItem.js';

/**
 * Draws boxes with captions (text on a filled background at the box's top edge) on a copy of a
 * BGR frame, for debug overlays. Line width and text size follow the image size. Hershey fonts
 * have only ASCII: accents are dropped ("José" -> "Jose") and other characters become '?'.
 * Returns the new Mat, owned by the caller; `mat` is unchanged.
 *
 * @throws TypeError for a Mat that is not CV_8UC3; RangeError for a colour outside 0..255.
 */
export function drawDetections(mat: Mat, items: readonly OverlayItem[]): Mat {
  assertBgrMat(mat);
  const out = mat.copy();
  try {
    const side = Math.min(out.cols, out.rows);
    const thickness = Math.max(1, Math.round(side / 320));
    const fontScale = Math.min(2, Math.max(0.4, side / 800));
    const font = cv.FONT_HERSHEY_SIMPLEX;
    for (const item of items) {
      const rgb = item.color ?? colorForLabel(item.label);
      checkColor(rgb);
      const [r, g, b] = rgb;
      const color = new cv.Vec3(b, g, r);
      const x0 = clampInt(item.box.xmin, out.cols - 1);
      const y0 = clampInt(item.box.ymin, out.rows - 1);
      const x1 = clampInt(item.box.xmax, out.cols - 1);
      const y1 = clampInt(item.box.ymax, out.rows - 1);
      out.drawRectangle(new cv.Point2(x0, y0), new cv.Point2(x1, y1), color, thickness, cv.LINE_8);

      const text = toAscii(item.label);
      if (text === '') continue;
      const { size, baseLine } = cv.getTextSize(text, font, fontScale, thickness);
      const pad = thickness + 1;
      const boxHeight = size.height + baseLine + 2 * pad;
      // Above the box when there is room, else just inside its top edge.
      const top = y0 - boxHeight >= 0 ? y0 - boxHeight : y0;
      const left = Math.min(x0, Math.max(0, out.cols - size.width - 2 * pad));
      out.drawRectangle(
        new cv.Point2(left, top),
        new cv.Point2(left + size.width + 2 * pad, top + boxHeight),
        color,
        cv.FILLED,
      );
      // Black text on light colours, white on dark (Rec. 601 luma).
      const luma = 0.299 * r + 0.587 * g + 0.114 * b;
      const ink = luma > 140 ? new cv.Vec3(0, 0, 0) : new cv.Vec3(255, 255, 255);
      out.putText(
        text,
        new cv.Point2(left + pad, top + pad + size.height),
        font,
        fontScale,
        ink,
        thickness,
        cv.LINE_AA,
      );
    }
    return out;
  } catch (err) {
    out.release();
    throw err;
  }
}

function toAscii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
}

function clampInt(value: number, max: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(Math.round(value), 0), max) : 0;
}

function checkColor(color: RgbColor): void {
  if (color.length !== 3 || !color.every((c) => Number.isInteger(c) && c >= 0 && c <= 255)) {
    throw new RangeError(
      `'color' must be 3 integers in [0, 255] (R, G, B), got ${JSON.stringify(color)}`,
    );
  }
}
