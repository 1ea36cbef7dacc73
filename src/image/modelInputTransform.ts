/**
 * Geometry of fitting a source image into a model's fixed input size, and the mapping of model
 * outputs back to source pixels. Pure: no OpenCV, so postprocessing can use it freely.
 *
 * Coordinates are continuous: pixel (i, j) covers [i, i+1) x [j, j+1), an image spans
 * [0, width] x [0, height], and a model's normalised output spans [0, 1] over its whole input
 * (padding included), as SSD and the face detectors report boxes.
 */
import type { Box } from '../postprocess/box.js';

/**
 * How a source image is fitted to the model input:
 * - 'stretch': scaled to fill it exactly; the aspect ratio changes (SSD MobileNet was trained so).
 * - 'letterbox': scaled by one factor to fit inside it, centred, the rest padded.
 */
export type ResizeMode = 'stretch' | 'letterbox';

/** An axis-aligned rectangle by its top-left corner and size. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Maps a model's normalised input coordinates (u, v in [0, 1]) to source pixels:
 * `x = u * scaleX + offsetX`, `y = v * scaleY + offsetY`.
 */
export interface ModelInputTransform {
  readonly resize: ResizeMode;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  readonly inputWidth: number;
  readonly inputHeight: number;
  /** Where the scaled source lies in the model input, in model pixels; the rest is padding. */
  readonly content: Rect;
  readonly scaleX: number;
  readonly scaleY: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

/** A point in two dimensions. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Largest model input side accepted, in pixels. */
const MAX_SIDE = 16384;

/**
 * The transform for a `sourceWidth` x `sourceHeight` image fitted to a `width` x `height` model
 * input. For letterbox, the scaled size is rounded to whole pixels and the padding split evenly
 * (the extra pixel, if any, goes right/bottom); the mapping uses the rounded size, so it is
 * exact for the pixels the model sees.
 *
 * @throws RangeError for a size that is not an integer in [1, 16384].
 */
export function computeModelInputTransform(
  sourceWidth: number,
  sourceHeight: number,
  input: { readonly width: number; readonly height: number; readonly resize: ResizeMode },
): ModelInputTransform {
  checkSide('sourceWidth', sourceWidth);
  checkSide('sourceHeight', sourceHeight);
  checkSide('width', input.width);
  checkSide('height', input.height);
  const { width: inputWidth, height: inputHeight, resize } = input;
  let content: Rect;
  switch (resize) {
    case 'stretch':
      content = { x: 0, y: 0, width: inputWidth, height: inputHeight };
      break;
    case 'letterbox': {
      const scale = Math.min(inputWidth / sourceWidth, inputHeight / sourceHeight);
      const width = Math.min(inputWidth, Math.max(1, Math.round(sourceWidth * scale)));
      const height = Math.min(inputHeight, Math.max(1, Math.round(sourceHeight * scale)));
      content = {
        x: Math.floor((inputWidth - width) / 2),
        y: Math.floor((inputHeight - height) / 2),
        width,
        height,
      };
      break;
    }
    default:
      throw new RangeError(
        `'resize' must be 'stretch' or 'letterbox', got ${JSON.stringify(resize)}`,
      );
  }
  // Source pixels per model pixel, per axis.
  const pxX = sourceWidth / content.width;
  const pxY = sourceHeight / content.height;
  return {
    resize,
    sourceWidth,
    sourceHeight,
    inputWidth,
    inputHeight,
    content,
    scaleX: inputWidth * pxX,
    scaleY: inputHeight * pxY,
    offsetX: (0 - content.x) * pxX, // 0 - x: no -0 when there is no padding
    offsetY: (0 - content.y) * pxY,
  };
}

/** A normalised model-input point (u, v in [0, 1]) in source pixels; not clamped. */
export function mapPointToSource(point: Point, transform: ModelInputTransform): Point {
  return {
    x: point.x * transform.scaleX + transform.offsetX,
    y: point.y * transform.scaleY + transform.offsetY,
  };
}

/** Options of mapBoxToSource. */
export interface MapBoxOptions {
  /**
   * Clamp the result to the source image. Default true: a box reaching into letterbox padding
   * or past the input edge would otherwise extend outside the image.
   */
  readonly clamp?: boolean;
}

/** A normalised model-input box (corners in [0, 1]) in source pixels. */
export function mapBoxToSource(
  box: Box,
  transform: ModelInputTransform,
  options: MapBoxOptions = {},
): Box {
  const { scaleX, scaleY, offsetX, offsetY, sourceWidth, sourceHeight } = transform;
  let xmin = box.xmin * scaleX + offsetX;
  let ymin = box.ymin * scaleY + offsetY;
  let xmax = box.xmax * scaleX + offsetX;
  let ymax = box.ymax * scaleY + offsetY;
  if (options.clamp ?? true) {
    xmin = clamp(xmin, sourceWidth);
    xmax = clamp(xmax, sourceWidth);
    ymin = clamp(ymin, sourceHeight);
    ymax = clamp(ymax, sourceHeight);
  }
  return { xmin, ymin, xmax, ymax };
}

function clamp(value: number, max: number): number {
  return Math.min(Math.max(value, 0), max);
}

function checkSide(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > MAX_SIDE) {
    throw new RangeError(`'${name}' must be an integer in [1, ${MAX_SIDE}], got ${value}`);
  }
}

/**
 * The transform of a frame decoded at 1/`factor` scale (a reduced JPEG decode), re-expressed in
 * the pixels of the full-size source, `sourceWidth` x `sourceHeight`: decoded pixel x covers
 * source pixels [x * factor, (x + 1) * factor), as libjpeg's DCT scaling computes it. Boxes
 * mapped with the result are clamped to the full-size source. Pure.
 *
 * @throws RangeError for a factor that is not a positive integer, or a source size that is not
 *   what the decoded size came from (ceil(source / factor) must equal the decoded size).
 */
export function transformToFullSource(
  transform: ModelInputTransform,
  factor: number,
  sourceWidth: number,
  sourceHeight: number,
): ModelInputTransform {
  if (!Number.isInteger(factor) || factor < 1) {
    throw new RangeError(`'factor' must be a positive integer, got ${factor}`);
  }
  if (
    Math.ceil(sourceWidth / factor) !== transform.sourceWidth ||
    Math.ceil(sourceHeight / factor) !== transform.sourceHeight
  ) {
    throw new RangeError(
      `a ${transform.sourceWidth}x${transform.sourceHeight} image is not ${sourceWidth}x${sourceHeight} reduced by ${factor}`,
    );
  }
  if (factor === 1) return transform;
  return {
    ...transform,
    sourceWidth,
    sourceHeight,
    scaleX: transform.scaleX * factor,
    scaleY: transform.scaleY * factor,
    offsetX: transform.offsetX * factor,
    offsetY: transform.offsetY * factor,
  };
}
