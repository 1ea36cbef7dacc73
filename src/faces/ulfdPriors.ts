/**
 * ULFD's priors (anchor boxes) for any input size, and the decoding of its raw box offsets
 * against them: what the exported RFB-320 graph did with 4420 priors fixed for 320x240 (see
 * src/models/onnx/ulfdAnySize.ts). Facts of the published model: four feature maps of stride 8,
 * 16, 32 and 64 (each ceil(size / stride) cells), minimum box sides 10, 16, 24 | 32, 48 | 64, 96
 * | 128, 192, 256 pixels, square priors centred on each cell (the cell's centre as a fraction
 * of the map's cells, as the 320x240 export has them), in the order map, row, column, box;
 * offsets with centre variance 0.1 and size variance 0.2. Pure.
 */

import type { Box } from '../postprocess/box.js';
import type { UlfdPriorBoxes } from './ulfdDecoder.js';

const STRIDES = [8, 16, 32, 64] as const;
const MIN_BOXES = [
  [10, 16, 24],
  [32, 48],
  [64, 96],
  [128, 192, 256],
] as const;
const CENTER_VARIANCE = 0.1;
const SIZE_VARIANCE = 0.2;

/** Priors as [cx, cy, w, h] per prior, normalised to the input, clipped to [0, 1]. */
export function ulfdPriors(width: number, height: number): Float32Array {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`ULFD input size must be positive integers, got ${width}x${height}`);
  }
  const out: number[] = [];
  STRIDES.forEach((stride, k) => {
    const columns = Math.ceil(width / stride);
    const rows = Math.ceil(height / stride);
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < columns; i++) {
        const cx = (i + 0.5) / columns;
        const cy = (j + 0.5) / rows;
        for (const side of MIN_BOXES[k]!) {
          out.push(clip(cx), clip(cy), clip(side / width), clip(side / height));
        }
      }
    }
  });
  return Float32Array.from(out);
}

/** The number of priors for an input size (4420 for 320x240). */
export function ulfdPriorCount(width: number, height: number): number {
  return STRIDES.reduce(
    (n, stride, k) =>
      n + Math.ceil(width / stride) * Math.ceil(height / stride) * MIN_BOXES[k]!.length,
    0,
  );
}

/**
 * The corner box of each prior (x1, y1, x2, y2, normalised to the input) from the raw offsets
 * [cx, cy, w, h] per prior, as the exported graph computed them, decoded when asked for: NMS
 * visits only the priors over the score threshold.
 *
 * @throws RangeError when the arrays do not match.
 */
export function ulfdBoxDecoder(locations: Float32Array, priors: Float32Array): UlfdPriorBoxes {
  if (locations.length !== priors.length) {
    throw new RangeError(
      `ULFD offsets for ${locations.length / 4} priors, but ${priors.length / 4} priors`,
    );
  }
  return {
    count: priors.length / 4,
    at(prior: number): Box {
      const p = 4 * prior;
      const cx = locations[p]! * CENTER_VARIANCE * priors[p + 2]! + priors[p]!;
      const cy = locations[p + 1]! * CENTER_VARIANCE * priors[p + 3]! + priors[p + 1]!;
      const w = Math.exp(locations[p + 2]! * SIZE_VARIANCE) * priors[p + 2]!;
      const h = Math.exp(locations[p + 3]! * SIZE_VARIANCE) * priors[p + 3]!;
      // Rounded to float32, as the graph's output (and an array of them) holds them.
      return {
        xmin: Math.fround(cx - w / 2),
        ymin: Math.fround(cy - h / 2),
        xmax: Math.fround(cx + w / 2),
        ymax: Math.fround(cy + h / 2),
      };
    },
  };
}

function clip(v: number): number {
  return Math.min(1, Math.max(0, v));
}
