import type { Point } from '../../image/modelInputTransform.js';
import type { ModelSession } from '../../inference/modelSession.js';
import { float32Data } from '../../inference/tensorData.js';
import { FACE_LANDMARKS_68 } from '../../models/tfjs/faceApiLandmarks68.js';
import { mapNormalizedPoint } from '../regionMapping.js';
import type { FaceCrops } from './faceCrops.js';
import type { FaceLandmarkModel } from './faceModelTypes.js';

/**
 * face-api's 68-point landmark net (MIT): the face box fitted into 112x112; its outputs are
 * fractions of that input, mapped back through the same fit.
 */
export class FaceApiLandmarks implements FaceLandmarkModel {
  constructor(private readonly session: ModelSession) {}

  async landmarks(crops: FaceCrops): Promise<Point[][]> {
    const batch = crops.fitted(FACE_LANDMARKS_68.inputSize);
    const out = await this.session.run({
      input: { type: 'float32', data: batch.data, dims: [...batch.dims] },
    });
    const values = float32Data(out[FACE_LANDMARKS_68.outputName], FACE_LANDMARKS_68.outputName);
    const n = 2 * FACE_LANDMARKS_68.points;
    return batch.mappings.map((mapping, i) =>
      Array.from({ length: FACE_LANDMARKS_68.points }, (_, p) =>
        mapNormalizedPoint(mapping, values[i * n + 2 * p]!, values[i * n + 2 * p + 1]!),
      ),
    );
  }
}
