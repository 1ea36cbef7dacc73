import type { FrameImage } from '../../image/frameImage.js';
import type { ModelSession } from '../../inference/modelSession.js';
import { float32Data } from '../../inference/tensorData.js';
import {
  FACE_API_DESCRIPTOR_LENGTH,
  FACE_API_RECOGNITION_INPUT_SIZE,
} from '../../models/tfjs/faceApiRecognition.js';
import { ALIGNED_FACE_SIZE, ARCFACE_TEMPLATE } from '../faceAlignment.js';
import type { FiveLandmarks } from '../faceResult.js';
import { alignedFaces } from './faceCrops.js';
import type { FaceEmbeddingModel } from './faceModelTypes.js';
import { splitNormalized } from './mobileFaceNetEmbedding.js';

/** The ArcFace template scaled from 112x112 to the recognition net's 150x150. */
const TEMPLATE_150 = ARCFACE_TEMPLATE.map((p) => ({
  x: (p.x * FACE_API_RECOGNITION_INPUT_SIZE) / ALIGNED_FACE_SIZE,
  y: (p.y * FACE_API_RECOGNITION_INPUT_SIZE) / ALIGNED_FACE_SIZE,
})) as unknown as FiveLandmarks;

/**
 * face-api's recognition net (MIT; a port of dlib's ResNet), 150x150 RGB 0..255, 128-d. Each
 * face is warped by a similarity transform of its five points onto the ArcFace template scaled
 * to 150x150, not cropped as face-api does (the landmarks' bounding box grown by 20%, no
 * rotation): on our 24 test faces the library's crop left the one person seen in two photos
 * below 60 of the 275 pairs of different people (cosine 0.896 against a maximum of 0.957),
 * aligned she is above all of them (0.979 against 0.966; tighter and looser templates measured
 * worse). The descriptor is L2-normalised here, so galleries compare it by cosine like every
 * embedding.
 */
export class FaceApiEmbedding implements FaceEmbeddingModel {
  readonly dimension = FACE_API_DESCRIPTOR_LENGTH;

  constructor(private readonly session: ModelSession) {}

  async embed(
    image: FrameImage,
    faces: readonly FiveLandmarks[],
    onInput?: (input: Float32Array, count: number) => void,
  ): Promise<Float32Array[]> {
    const size = FACE_API_RECOGNITION_INPUT_SIZE;
    const input = alignedFaces(image, faces, TEMPLATE_150, size, { mean: 0, std: 1 });
    onInput?.(input, faces.length);
    const out = await this.session.run({
      input: { type: 'float32', data: input, dims: [faces.length, 3, size, size] },
    });
    return splitNormalized(float32Data(out.embedding, 'embedding'), faces.length);
  }
}
