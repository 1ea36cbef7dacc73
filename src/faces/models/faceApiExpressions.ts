import type { ModelSession } from '../../inference/modelSession.js';
import { float32Data } from '../../inference/tensorData.js';
import { FACE_EXPRESSION_MODEL, FACE_EXPRESSIONS } from '../../models/tfjs/faceApiExpression.js';
import type { FaceCrops } from './faceCrops.js';
import type { ExpressionEstimate, FaceExpressionModel } from './faceModelTypes.js';

/** face-api's expression net (MIT): the face box fitted into 112x112, softmax over seven. */
export class FaceApiExpressions implements FaceExpressionModel {
  constructor(private readonly session: ModelSession) {}

  async estimate(crops: FaceCrops): Promise<ExpressionEstimate[]> {
    const batch = crops.fitted(FACE_EXPRESSION_MODEL.inputSize);
    const out = await this.session.run({
      input: { type: 'float32', data: batch.data, dims: [...batch.dims] },
    });
    const name = FACE_EXPRESSION_MODEL.outputName;
    const values = float32Data(out[name], name);
    const k = FACE_EXPRESSIONS.length;
    return batch.mappings.map((_, i): ExpressionEstimate => {
      const probabilities = values.slice(i * k, (i + 1) * k);
      let best = 0;
      for (let j = 1; j < k; j++) if (probabilities[j]! > probabilities[best]!) best = j;
      return { expression: FACE_EXPRESSIONS[best]!, score: probabilities[best]!, probabilities };
    });
  }
}
