import { boundingBox2D } from './visionParts.js';
import type { Header, ObjectHypothesis } from '../messages/types.js';
import type { EmbeddingModelId } from '../faces/faceModels.js';
import type { FaceArrayMessage, FaceMessage } from '../faces/faceMessages.js';
import type { FaceResult } from '../faces/faceResult.js';
import { FACE_EXPRESSIONS } from '../models/tfjs/faceApiExpression.js';

/** Options of {@link faceArrayMessage}. */
export interface FaceArrayOptions {
  /** Put each face's embedding in the message; false leaves `embedding` empty (privacy). */
  readonly includeEmbeddings: boolean;
  /** The model that made the embeddings, written as `<name>@<sha256 prefix>`. */
  readonly embeddingModel: EmbeddingModelId;
}

/** `<name>@<first 12 hex digits of sha256>`, as Face.embedding_model holds it. */
export function embeddingModelTag(model: EmbeddingModelId): string {
  return `${model.name}@${model.sha256.slice(0, 12)}`;
}

/**
 * Builds mobilenet_ros/msg/FaceArray from the faces of one frame. The header is the frame's,
 * unchanged, in the array and in every face. Attributes: "age" (score = years) when known, then
 * "female" or "male" (score = probability) when known. track_id is the face's person track ('' when
 * none); frame_identity(_score) this frame's own match (identity's when the face is on no track);
 * expression, expression_score and the seven expressions' probabilities when expressions are on.
 */
export function faceArrayMessage(
  header: Header,
  faces: readonly FaceResult[],
  options: FaceArrayOptions,
): FaceArrayMessage {
  const model = embeddingModelTag(options.embeddingModel);
  return {
    header,
    faces: faces.map((f): FaceMessage => ({
      header,
      bbox: boundingBox2D(f.box),
      score: f.score,
      landmarks: f.landmarks.map((p) => ({ x: p.x, y: p.y })),
      embedding: options.includeEmbeddings ? Float32Array.from(f.embedding) : new Float32Array(0),
      embedding_model: model,
      identity: f.identity,
      identity_score: f.identityScore,
      attributes: attributes(f),
      track_id: f.trackId ?? '',
      frame_identity: f.frameIdentity ?? f.identity,
      frame_identity_score: f.frameIdentityScore ?? f.identityScore,
      expression: f.expression ?? '',
      expression_score: f.expressionScore ?? 0,
      expressions: expressions(f),
    })),
  };
}

function expressions(f: FaceResult): ObjectHypothesis[] {
  const p = f.expressions;
  if (p === undefined) return [];
  return FACE_EXPRESSIONS.map((name, i) => ({ class_id: name, score: p[i] ?? 0 }));
}

function attributes(f: FaceResult): ObjectHypothesis[] {
  const out: ObjectHypothesis[] = [];
  if (Number.isFinite(f.age)) out.push({ class_id: 'age', score: f.age });
  if (f.gender !== 'unknown') out.push({ class_id: f.gender, score: f.genderScore });
  return out;
}
