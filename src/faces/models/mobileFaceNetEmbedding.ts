import type { FrameImage } from '../../image/frameImage.js';
import { warpAffine } from '../../image/warpAffine.js';
import type { ModelSession } from '../../inference/modelSession.js';
import { float32Data } from '../../inference/tensorData.js';
import { l2Normalize } from '../embeddingMath.js';
import { ALIGNED_FACE_SIZE, alignmentMatrix } from '../faceAlignment.js';
import { fivePointsFrom68 } from '../landmarks68.js';
import { writePlanar } from '../planarTensor.js';
import type { FaceEmbeddingModel, FaceToEmbed } from './faceModelTypes.js';

/**
 * MobileFaceNet (licence unknown; runs only when selected): each face warped by a similarity
 * transform of its five points onto the ArcFace template, 112x112 RGB (x-127)/128, 512-d.
 */
export class MobileFaceNetEmbedding implements FaceEmbeddingModel {
  readonly dimension = 512;

  constructor(private readonly session: ModelSession) {}

  async embed(
    image: FrameImage,
    faces: readonly FaceToEmbed[],
    onInput?: (input: Float32Array, count: number) => void,
  ): Promise<Float32Array[]> {
    const size = ALIGNED_FACE_SIZE;
    const plane = 3 * size * size;
    const aligned = new Float32Array(faces.length * plane);
    faces.forEach((face, i) => {
      const pixels = warpAffine(image, alignmentMatrix(fivePointsFrom68(face.points68)), {
        width: size,
        height: size,
        channels: 'rgb',
      });
      writePlanar(pixels, 3, [127, 127, 127], [128, 128, 128], aligned, i * plane);
    });
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
