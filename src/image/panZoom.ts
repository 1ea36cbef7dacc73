import { assertBgrMat } from './assertBgrMat.js';
import cv from './cv.js';
import type { Mat } from './cv.js';

/** One view of a slow camera move over a still photo. */
export interface PanZoomView {
  /** Output size in pixels. */
  width: number;
  height: number;
  /** Progress of the move, in [0, 1]. */
  t: number;
  /** Zoom at t = 0 and t = 1 (1 = the largest crop with the output's aspect ratio). */
  zoomFrom: number;
  zoomTo: number;
  /** Horizontal centre of the crop at t = 0 and 1, as a fraction of the free travel (0 left, 1 right). */
  panFrom: number;
  panTo: number;
}

/**
 * Renders a frame of a pan-and-zoom across a photo: a crop with the output's aspect ratio,
 * moved and scaled linearly with t, resized to the output size. Returns a new Mat (caller
 * releases it).
 */
export function renderPanZoom(photo: Mat, view: PanZoomView): Mat {
  assertBgrMat(photo, 'photo');
  if (!(view.t >= 0 && view.t <= 1)) throw new RangeError(`'t' must be in [0, 1], got ${view.t}`);
  const aspect = view.width / view.height;
  const fullW = Math.min(photo.cols, photo.rows * aspect);
  const fullH = fullW / aspect;
  const zoom = view.zoomFrom + (view.zoomTo - view.zoomFrom) * view.t;
  if (!(zoom >= 1)) throw new RangeError(`zoom must be >= 1, got ${zoom}`);
  const w = Math.round(fullW / zoom);
  const h = Math.round(fullH / zoom);
  const pan = view.panFrom + (view.panTo - view.panFrom) * view.t;
  const x = Math.round((photo.cols - w) * pan);
  const y = Math.round((photo.rows - h) / 2);
  const crop = photo.getRegion(new cv.Rect(x, y, w, h));
  return crop.resize(view.height, view.width, 0, 0, cv.INTER_AREA);
}
