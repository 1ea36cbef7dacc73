import { FACE_EXPRESSIONS } from '../models/tfjs/faceApiExpression.js';
import type { FaceResult } from './faceResult.js';

/** One entry of the "faces" list of `detect --json`. */
export interface FaceJson {
  bbox: [number, number, number, number];
  score: number;
  identity: string;
  identity_score: number;
  age: number | null;
  gender: 'female' | 'male' | 'unknown';
  gender_score: number;
  embedding_dim: number;
  embedding?: number[];
  track_id?: string;
  frame_identity?: string;
  frame_identity_score?: number;
  expression?: string;
  expression_score?: number;
  expressions?: Record<string, number>;
}

/**
 * The `detect --json` shape of a face: `{"bbox": [xmin, ymin, xmax, ymax], "score", "identity",
 * "identity_score", "age", "gender", "gender_score", "embedding_dim"}` (pixels to 0.1, scores
 * to 4 digits, age to 0.1 years or null when attributes are off), plus `"embedding"` (the
 * L2-normalised vector, 6 digits) when `includeEmbedding`, and for a face on a person track
 * `"track_id"`, `"frame_identity"` and `"frame_identity_score"` (this frame's own match; identity
 * is then the track's vote), and with expressions on `"expression"`, `"expression_score"` and
 * `"expressions"` (each of the seven names with its probability). JSON.stringify writes non-ASCII
 * names as they are (UTF-8 on output).
 */
export function faceJson(face: FaceResult, options: { includeEmbedding: boolean }): FaceJson {
  const json: FaceJson = {
    bbox: [face.box.xmin, face.box.ymin, face.box.xmax, face.box.ymax].map((v) =>
      round(v, 1),
    ) as FaceJson['bbox'],
    score: round(face.score, 4),
    identity: face.identity,
    identity_score: round(face.identityScore, 4),
    age: Number.isFinite(face.age) ? round(face.age, 1) : null,
    gender: face.gender,
    gender_score: round(face.genderScore, 4),
    embedding_dim: face.embedding.length,
  };
  if (face.trackId !== undefined) {
    json.track_id = face.trackId;
    json.frame_identity = face.frameIdentity ?? face.identity;
    json.frame_identity_score = round(face.frameIdentityScore ?? face.identityScore, 4);
  }
  if (face.expression !== undefined && face.expressions !== undefined) {
    const p = face.expressions;
    json.expression = face.expression;
    json.expression_score = round(face.expressionScore ?? 0, 4);
    json.expressions = Object.fromEntries(
      FACE_EXPRESSIONS.map((name, i) => [name, round(p[i] ?? 0, 4)]),
    );
  }
  if (options.includeEmbedding) json.embedding = Array.from(face.embedding, (v) => round(v, 6));
  return json;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
