import type { FacesConfig } from '../config/facesConfig.js';
import { ModelError } from '../errors.js';
import { ModelSession, type ModelSessionOptions } from '../inference/modelSession.js';
import { loadManifest, modelEntry, preparedFile, type ModelManifest } from '../models/manifest.js';
import { readVerified } from '../models/verifiedFile.js';
import { FaceApiAgeGender } from './models/faceApiAgeGender.js';
import { FaceApiEmbedding } from './models/faceApiEmbedding.js';
import { FaceApiExpressions } from './models/faceApiExpressions.js';
import { FaceApiLandmarks } from './models/faceApiLandmarks.js';
import type {
  FaceAgeGenderModel,
  FaceDetectorModel,
  FaceEmbeddingModel,
  FaceExpressionModel,
  FaceLandmarkModel,
} from './models/faceModelTypes.js';
import { FacepluginLandmarks } from './models/facepluginLandmarks.js';
import { MobileFaceNetEmbedding } from './models/mobileFaceNetEmbedding.js';
import { SsdFaceDetector } from './models/ssdFaceDetector.js';
import { SsrNetAgeGender } from './models/ssrNetAgeGender.js';
import { UlfdFaceDetector } from './models/ulfdFaceDetector.js';

/** The model choices of the face branch (the `faces:` settings that pick models). */
export type FaceModelChoices = Pick<
  FacesConfig,
  | 'detector'
  | 'landmarks'
  | 'embedding'
  | 'embeddingForm'
  | 'ageGender'
  | 'expression'
  | 'attributes'
>;

/** Manifest names of the face models, by stage and choice. */
export const FACE_MODEL_NAMES = {
  detector: { ulfd: 'face_detector', ssd_mobilenetv1: 'face_detector_ssd' },
  landmarks: { faceapi: 'face_landmarks_faceapi', faceplugin: 'face_landmarks' },
  embedding: { faceapi: 'face_embedding_faceapi', mobilefacenet: 'face_embedding' },
  ageGender: { faceapi: ['face_age_gender_faceapi'], ssrnet: ['face_age', 'face_gender'] },
  expression: 'face_expression_faceapi',
} as const;

/** Which embedding model made an embedding: recorded in galleries so they are never mixed. */
export interface EmbeddingModelId {
  /** Manifest name, e.g. 'face_embedding_faceapi'. */
  readonly name: string;
  /** sha256 of the prepared model file. */
  readonly sha256: string;
  /** Embedding dimension (128 for face-api's, 512 for MobileFaceNet). */
  readonly dimension: number;
}

const DIMENSIONS = { faceapi: 128, mobilefacenet: 512 } as const;

/** A model the branch loads: manifest name, output role, licence (for doctor and the README). */
export interface SelectedFaceModel {
  readonly stage: 'detector' | 'landmarks' | 'embedding' | 'age_gender' | 'expression';
  readonly name: string;
  readonly role: string;
  readonly licence: string;
}

/** The manifest models the choices select, in load order, with their licences. */
export function selectedFaceModels(
  choices: FaceModelChoices,
  manifest: ModelManifest,
): SelectedFaceModel[] {
  const pick = (
    stage: SelectedFaceModel['stage'],
    name: string,
    role = 'onnx',
  ): SelectedFaceModel => ({
    stage,
    name,
    role,
    licence: modelEntry(manifest, name).licence,
  });
  const list = [
    pick('detector', FACE_MODEL_NAMES.detector[choices.detector]),
    pick('landmarks', FACE_MODEL_NAMES.landmarks[choices.landmarks]),
    pick('embedding', FACE_MODEL_NAMES.embedding[choices.embedding], embeddingRole(choices)),
  ];
  // ULFD takes person regions in the any-size form cut from the same file (ulfdAnySize).
  if (choices.detector === 'ulfd')
    list.push(pick('detector', FACE_MODEL_NAMES.detector.ulfd, 'any_size'));
  if (choices.attributes) {
    for (const name of FACE_MODEL_NAMES.ageGender[choices.ageGender]) {
      list.push(pick('age_gender', name));
    }
  }
  if (choices.expression) list.push(pick('expression', FACE_MODEL_NAMES.expression));
  return list;
}

/** MobileFaceNet has an 'int8' and a float ('onnx') file; the others one 'onnx' file. */
function embeddingRole(choices: Pick<FacesConfig, 'embedding' | 'embeddingForm'>): string {
  return choices.embedding === 'mobilefacenet' && choices.embeddingForm === 'int8'
    ? 'int8'
    : 'onnx';
}

/**
 * The embedding model's identity from the manifest alone (no model is loaded): what `faces list`
 * and `faces remove` need to open a gallery.
 */
export function embeddingModelId(
  modelsDir: string,
  choices: Pick<FacesConfig, 'embedding' | 'embeddingForm'>,
): EmbeddingModelId {
  const name = FACE_MODEL_NAMES.embedding[choices.embedding];
  const prepared = preparedFile(
    modelEntry(loadManifest(modelsDir), name),
    embeddingRole(choices),
    name,
  );
  return { name, sha256: prepared.sha256, dimension: DIMENSIONS[choices.embedding] };
}

/** Options of {@link FaceModels.load}. */
export interface FaceModelsOptions {
  /** Folder with manifest.json and the prepared models. */
  readonly modelsDir: string;
  readonly choices: FaceModelChoices;
  /** Intra-op threads of every face model. Default: ModelSession's default (all cores). */
  readonly threads?: number;
}

/** Input and output names each manifest model must have, checked once at load. */
const EXPECTED: Record<string, readonly string[]> = {
  face_detector: ['input', 'scores', 'boxes'],
  'face_detector.any_size': ['input', 'scores', 'locations'],
  face_detector_ssd: ['input', 'scores', 'boxes'],
  face_landmarks: ['input', 'output'],
  face_landmarks_faceapi: ['input', 'landmarks'],
  face_embedding: ['input', 'output'],
  face_embedding_faceapi: ['input', 'embedding'],
  face_age: ['input', 'prob_stage_1', 'stage1_delta_k', 'index_offset_stage1'],
  face_gender: ['input', 'prob_stage_1', 'stage1_delta_k', 'index_offset_stage1'],
  face_age_gender_faceapi: ['input', 'age', 'gender'],
  face_expression_faceapi: ['input', 'expressions'],
};

/**
 * The sessions of the face branch, as the config selects them, verified by sha256 against the
 * manifest and checked for their tensors at load, behind one interface per stage. Owns the
 * sessions: close() when done.
 */
export class FaceModels {
  private closed = false;

  private constructor(
    private readonly sessions: readonly ModelSession[],
    readonly detector: FaceDetectorModel,
    readonly landmarks: FaceLandmarkModel,
    readonly embedding: FaceEmbeddingModel,
    readonly ageGender: FaceAgeGenderModel | undefined,
    readonly expression: FaceExpressionModel | undefined,
    readonly embeddingModel: EmbeddingModelId,
    readonly selected: readonly SelectedFaceModel[],
  ) {}

  /**
   * Loads the selected models. A missing or corrupt file is a ModelError naming the file and
   * `mobilenet-ros models prepare`; a model without the expected tensors is MODEL_UNSUPPORTED.
   */
  static async load(options: FaceModelsOptions): Promise<FaceModels> {
    const manifest = loadManifest(options.modelsDir);
    const { choices } = options;
    const selected = selectedFaceModels(choices, manifest);
    const sessions = new Map<string, ModelSession>();
    let embeddingSha = '';
    try {
      for (const model of selected) {
        const prepared = preparedFile(modelEntry(manifest, model.name), model.role, model.name);
        const bytes = await readVerified(options.modelsDir, prepared);
        if (model.stage === 'embedding') embeddingSha = prepared.sha256;
        const session = await ModelSession.fromBytes(bytes, {
          label: `${model.name} (${prepared.file})`,
          ...sessionOptions(model, options.threads),
        });
        sessions.set(`${model.name}.${model.role}`, session);
        checkTensors(session, model.name, model.role);
      }
    } catch (error) {
      await Promise.all([...sessions.values()].map((s) => s.close()));
      throw error;
    }
    const get = (name: string, role = 'onnx'): ModelSession => sessions.get(`${name}.${role}`)!;
    const detector =
      choices.detector === 'ulfd'
        ? new UlfdFaceDetector(
            get(FACE_MODEL_NAMES.detector.ulfd),
            get(FACE_MODEL_NAMES.detector.ulfd, 'any_size'),
          )
        : new SsdFaceDetector(get(FACE_MODEL_NAMES.detector.ssd_mobilenetv1));
    const landmarks =
      choices.landmarks === 'faceapi'
        ? new FaceApiLandmarks(get(FACE_MODEL_NAMES.landmarks.faceapi))
        : new FacepluginLandmarks(get(FACE_MODEL_NAMES.landmarks.faceplugin));
    const embedding =
      choices.embedding === 'faceapi'
        ? new FaceApiEmbedding(get(FACE_MODEL_NAMES.embedding.faceapi))
        : new MobileFaceNetEmbedding(
            get(FACE_MODEL_NAMES.embedding.mobilefacenet, embeddingRole(choices)),
          );
    const ageGender = !choices.attributes
      ? undefined
      : choices.ageGender === 'faceapi'
        ? new FaceApiAgeGender(get('face_age_gender_faceapi'))
        : new SsrNetAgeGender(get('face_age'), get('face_gender'));
    const expression = choices.expression
      ? new FaceApiExpressions(get(FACE_MODEL_NAMES.expression))
      : undefined;
    const embeddingName = FACE_MODEL_NAMES.embedding[choices.embedding];
    return new FaceModels(
      [...sessions.values()],
      detector,
      landmarks,
      embedding,
      ageGender,
      expression,
      { name: embeddingName, sha256: embeddingSha, dimension: embedding.dimension },
      selected,
    );
  }

  /** Releases every session. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.sessions.map((s) => s.close()));
  }
}

function sessionOptions(
  model: SelectedFaceModel,
  threads: number | undefined,
): Omit<ModelSessionOptions, 'label'> {
  return {
    // Every model gets the pool. Session 6 gave it to the embedding alone, because pool threads
    // that spin after a run stole the next model's CPU; they do not spin here (below). Measured
    // with face-api's models, 2 threads, bench --faces: 7.0-7.2 ms per face on 13 faces with all
    // models on 2 threads, 7.6-7.8 with only the embedding; 7.7-7.9 and 8.0-8.3 on 5 faces.
    ...(threads === undefined ? {} : { intraOpThreads: threads }),
    // Several models run back to back per frame: idle threads must not spin over the next one.
    spinWait: false,
    // The float MobileFaceNet is faster without the NCHWc layout pass (measured: 11-14 vs 13-15
    // ms), the int8 one with it (6.3-6.6 vs 7.2-7.7 ms; 5 faces 32 vs 41 ms).
    ...(model.name === FACE_MODEL_NAMES.embedding.mobilefacenet && model.role === 'onnx'
      ? { graphOptimization: 'extended' as const }
      : {}),
  };
}

function checkTensors(session: ModelSession, name: string, role: string): void {
  const expected = EXPECTED[role === 'onnx' || role === 'int8' ? name : `${name}.${role}`] ?? [];
  const inputs = session.inputs.map((t) => t.name);
  const outputs = session.outputs.map((t) => t.name);
  const missing = expected.filter((n) => !inputs.includes(n) && !outputs.includes(n));
  if (missing.length > 0) {
    throw new ModelError(
      'MODEL_UNSUPPORTED',
      `${name}: expected tensors ${missing.join(', ')}; the model has inputs ${inputs.join(', ')} and outputs ` +
        `${outputs.join(', ')}. Run \`mobilenet-ros models prepare --force\` to rebuild it.`,
    );
  }
}
