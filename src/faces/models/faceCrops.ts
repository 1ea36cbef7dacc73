import type { FrameImage } from '../../image/frameImage.js';
import { warpAffine } from '../../image/warpAffine.js';
import type { Box } from '../../postprocess/box.js';
import { alignmentMatrixTo } from '../faceAlignment.js';
import type { FiveLandmarks } from '../faceResult.js';
import { writePlanar } from '../planarTensor.js';
import { regionMapping, warpMatrix, type RegionMapping } from '../regionMapping.js';

/** A batch of face crops as one planar RGB tensor (0..255 values) and where each crop came from. */
export interface CropBatch {
  readonly data: Float32Array;
  readonly dims: readonly [number, 3, number, number];
  readonly mappings: readonly RegionMapping[];
}

/**
 * The face crops of one frame, cut once and shared by the models that take the same input:
 * face-api's landmark, expression and age/gender nets all see each face box padded to a square
 * (centred, black border) and resized to 112x112.
 */
export class FaceCrops {
  private readonly batches = new Map<number, CropBatch>();

  constructor(
    readonly image: FrameImage,
    readonly boxes: readonly Box[],
  ) {}

  /** Each box fitted (centred, aspect kept, black border) into `side` x `side`, RGB 0..255. */
  fitted(side: number): CropBatch {
    const cached = this.batches.get(side);
    if (cached !== undefined) return cached;
    const batch = fittedCrops(this.image, this.boxes, side);
    this.batches.set(side, batch);
    return batch;
  }
}

/**
 * Each face warped by the similarity transform of its five points onto `template` in a
 * `side` x `side` image, as one planar RGB batch normalised as (v - mean) / std.
 */
export function alignedFaces(
  image: FrameImage,
  faces: readonly FiveLandmarks[],
  template: FiveLandmarks,
  side: number,
  normalise: { readonly mean: number; readonly std: number },
): Float32Array {
  const plane = 3 * side * side;
  const batch = new Float32Array(faces.length * plane);
  const mean = [normalise.mean, normalise.mean, normalise.mean];
  const std = [normalise.std, normalise.std, normalise.std];
  faces.forEach((five, i) => {
    const pixels = warpAffine(image, alignmentMatrixTo(five, template), {
      width: side,
      height: side,
      channels: 'rgb',
    });
    writePlanar(pixels, 3, mean, std, batch, i * plane);
  });
  return batch;
}

/** `boxes` fitted into `side` x `side` squares (see FaceCrops.fitted). */
function fittedCrops(image: FrameImage, boxes: readonly Box[], side: number): CropBatch {
  const plane = 3 * side * side;
  const data = new Float32Array(boxes.length * plane);
  const mappings = boxes.map((box, i) => {
    const mapping = regionMapping(box, side, side, 'fit');
    const pixels = warpAffine(image, warpMatrix(mapping), {
      width: side,
      height: side,
      channels: 'rgb',
      borderValue: 0,
    });
    writePlanar(pixels, 3, [0, 0, 0], [1, 1, 1], data, i * plane);
    return mapping;
  });
  return { data, dims: [boxes.length, 3, side, side], mappings };
}
