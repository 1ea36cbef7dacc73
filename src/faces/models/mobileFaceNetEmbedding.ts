import type { FrameImage } from '../../image/frameImage.js';
import type { ModelSession } from '../../inference/modelSession.js';
import { float32Data } from '../../inference/tensorData.js';
import { l2Normalize } from '../embeddingMath.js';
import { ALIGNED_FACE_SIZE, ARCFACE_TEMPLATE } from '../faceAlignment.js';
import type { FiveLandmarks } from '../faceResult.js';
import { alignedFaces } from './faceCrops.js';
import type { FaceEmbeddingModel } from './faceModelTypes.js';

/**
 * MobileFaceNet (licence unknown; runs only when selected): each face warped by a similarity
 * transform of its five points onto the ArcFace template, 112x112 RGB (x-127)/128, 512-d.
 */
export class MobileFaceNetEmbedding implements FaceEmbeddingModel {
  readonly dimension = 512;

  constructor(private readonly session: ModelSession) {}

  async embed(
    image: FrameImage,
    faces: readonly FiveLandmarks[],
    onInput?: (input: Float32Array, count: number) => void,
  ): Promise<Float32Array[]> {
    const size = ALIGNED_FACE_SIZE;
    const aligned = alignedFaces(image, faces, ARCFACE_TEMPLATE, size, { mean: 127, std: 128 });
    onInput?.(aligned, faces.length);
    const out = await this.session.run({
      input: { type: 'float32', data: aligned, dims: [faces.length, 3, size, size] },
    });
    return splitNormalized(float32Data(out.output, 'output'), faces.length);
  }
}

/** `count` L2-normalised rows of a [count, dimension] output. */
export function splitNormalized(values: Float32Array, count: number): Float32Array[] {
  const dimension = values.length / count;
  return Array.from({ length: count }, (_, i) =>
    l2Normalize(values.subarray(i * dimension, (i + 1) * dimension)),
  );
}
