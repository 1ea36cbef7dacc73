import type { Box } from '../postprocess/box.js';
import type { Point } from '../image/modelInputTransform.js';
import type { AffineMatrix } from '../image/warpAffine.js';

/**
 * How a region of a frame is fitted to a model input:
 * - 'stretch': the region fills the input exactly (aspect ratio changes), as ULFD's own demo
 *   feeds whole frames and as crops for the landmark and attribute models are made;
 * - 'fit': one scale factor, centred, the rest is border (used for person boxes, whose shape is
 *   far from the input's, so faces keep their proportions).
 */
export type RegionFit = 'stretch' | 'fit';

/**
 * A region of a frame mapped onto a model input of `width` x `height` pixels: `x_in = scaleX *
 * x + offsetX` (continuous coordinates, both sides), and back.
 */
export interface RegionMapping {
  readonly region: Box;
  readonly width: number;
  readonly height: number;
  readonly scaleX: number;
  readonly scaleY: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

/**
 * The mapping of `region` (source pixels, continuous corners) onto a `width` x `height` input.
 * @throws RangeError for an empty or non-finite region or a bad size.
 */
export function regionMapping(
  region: Box,
  width: number,
  height: number,
  fit: RegionFit,
): RegionMapping {
  const w = region.xmax - region.xmin;
  const h = region.ymax - region.ymin;
  if (
    ![region.xmin, region.ymin, region.xmax, region.ymax].every(Number.isFinite) ||
    !(w > 0 && h > 0)
  ) {
    throw new RangeError(
      `'region' must be a finite box with positive width and height, got ${JSON.stringify(region)}`,
    );
  }
  if (!(width > 0 && height > 0)) {
    throw new RangeError(`'width' and 'height' must be positive, got ${width}x${height}`);
  }
  if (fit === 'stretch') {
    const scaleX = width / w;
    const scaleY = height / h;
    return {
      region,
      width,
      height,
      scaleX,
      scaleY,
      offsetX: -region.xmin * scaleX,
      offsetY: -region.ymin * scaleY,
    };
  }
  const scale = Math.min(width / w, height / h);
  return {
    region,
    width,
    height,
    scaleX: scale,
    scaleY: scale,
    offsetX: (width - w * scale) / 2 - region.xmin * scale,
    offsetY: (height - h * scale) / 2 - region.ymin * scale,
  };
}

/** Maps a box in normalised input coordinates ([0, 1] over the whole input) to source pixels. */
export function mapNormalizedBox(mapping: RegionMapping, box: Box): Box {
  const { width, height, scaleX, scaleY, offsetX, offsetY } = mapping;
  return {
    xmin: (box.xmin * width - offsetX) / scaleX,
    ymin: (box.ymin * height - offsetY) / scaleY,
    xmax: (box.xmax * width - offsetX) / scaleX,
    ymax: (box.ymax * height - offsetY) / scaleY,
  };
}

/** Maps a point in normalised input coordinates to source pixels. */
export function mapNormalizedPoint(mapping: RegionMapping, u: number, v: number): Point {
  return {
    x: (u * mapping.width - mapping.offsetX) / mapping.scaleX,
    y: (v * mapping.height - mapping.offsetY) / mapping.scaleY,
  };
}

/** The OpenCV warp matrix (pixel centres at integers) for this mapping. */
export function warpMatrix(mapping: RegionMapping): AffineMatrix {
  return continuousToOpenCv([
    mapping.scaleX,
    0,
    mapping.offsetX,
    0,
    mapping.scaleY,
    mapping.offsetY,
  ]);
}

/**
 * Converts an affine map between continuous coordinates (pixel i covers [i, i+1)) into
 * OpenCV's convention (pixel centre i at coordinate i): shift by half a pixel on both sides.
 */
export function continuousToOpenCv(m: AffineMatrix): AffineMatrix {
  const [a, b, c, d, e, f] = m;
  return [a, b, c + 0.5 * (a + b) - 0.5, d, e, f + 0.5 * (d + e) - 0.5];
}
