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

/** The photo region (whole pixels) that one view shows, before it is resized to the output. */
export interface PanZoomCrop {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The crop of a `photoWidth` x `photoHeight` photo that {@link renderPanZoom} shows for `view`:
 * the output's aspect ratio, scaled down by the zoom, centred vertically, moved horizontally by
 * the pan. Pure, so the geometry of a rendered frame is known exactly (e.g. to map boxes found
 * on the photo into the frame: frame = (photo - crop corner) * output width / crop width).
 */
export function panZoomCrop(
  photoWidth: number,
  photoHeight: number,
  view: PanZoomView,
): PanZoomCrop {
  if (!(view.t >= 0 && view.t <= 1)) throw new RangeError(`'t' must be in [0, 1], got ${view.t}`);
  const aspect = view.width / view.height;
  const fullW = Math.min(photoWidth, photoHeight * aspect);
  const fullH = fullW / aspect;
  const zoom = view.zoomFrom + (view.zoomTo - view.zoomFrom) * view.t;
  if (!(zoom >= 1)) throw new RangeError(`zoom must be >= 1, got ${zoom}`);
  const width = Math.round(fullW / zoom);
  const height = Math.round(fullH / zoom);
  const pan = view.panFrom + (view.panTo - view.panFrom) * view.t;
  return {
    x: Math.round((photoWidth - width) * pan),
    y: Math.round((photoHeight - height) / 2),
    width,
    height,
  };
}

/**
 * Renders a frame of a pan-and-zoom across a photo: a crop with the output's aspect ratio,
 * moved and scaled linearly with t (see {@link panZoomCrop}), resized to the output size.
 * Returns a new Mat (caller releases it).
 */
export function renderPanZoom(photo: Mat, view: PanZoomView): Mat {
  assertBgrMat(photo, 'photo');
  const { x, y, width, height } = panZoomCrop(photo.cols, photo.rows, view);
  const crop = photo.getRegion(new cv.Rect(x, y, width, height));
  return crop.resize(view.height, view.width, 0, 0, cv.INTER_AREA);
}
