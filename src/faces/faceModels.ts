import type { EmbeddingForm } from '../config/facesConfig.js';
import { ModelError } from '../errors.js';
import { ModelSession } from '../inference/modelSession.js';
import { loadManifest, modelEntry, preparedFile } from '../models/manifest.js';
import { readVerified } from '../models/verifiedFile.js';

/** Manifest names of the face models. */
export const FACE_MODEL_NAMES = {
  detector: 'face_detector',
  landmarks: 'face_landmarks',
  embedding: 'face_embedding',
  age: 'face_age',
  gender: 'face_gender',
} as const;

/** Which embedding model made an embedding: recorded in galleries so they are never mixed. */
export interface EmbeddingModelId {
  /** Manifest name, e.g. 'face_embedding' (its 'int8' and 'float' files differ by sha256). */
  readonly name: string;
  /** sha256 of the prepared model file. */
  readonly sha256: string;
  /** Embedding dimension (512). */
  readonly dimension: number;
}

/** Dimension of the MobileFaceNet embedding; checked against the model at load. */
export const EMBEDDING_DIMENSION = 512;

/**
 * The embedding model's identity from the manifest alone (no model is loaded): what `faces list`
 * and `faces remove` need to open a gallery.
 */
export function embeddingModelId(modelsDir: string, form: EmbeddingForm): EmbeddingModelId {
  const name = FACE_MODEL_NAMES.embedding;
  const prepared = preparedFile(
    modelEntry(loadManifest(modelsDir), name),
    fileRole('embedding', form),
    name,
  );
  return { name, sha256: prepared.sha256, dimension: EMBEDDING_DIMENSION };
}

/** The manifest output role of a model's file: the embedding has 'int8' and 'onnx' (float). */
function fileRole(role: Role, form: EmbeddingForm): string {
  return role === 'embedding' && form === 'int8' ? 'int8' : 'onnx';
}

/** Options of {@link FaceModels.load}. */
export interface FaceModelsOptions {
  /** Folder with manifest.json and the prepared models. */
  readonly modelsDir: string;
  /**
   * Intra-op threads of the embedding model (the only heavy one; the others run on 1 thread).
   * Default: ModelSession's default (all cores).
   */
  readonly threads?: number;
  /** Load the age and gender models. Default true. */
  readonly attributes?: boolean;
  /** Which MobileFaceNet file: 'int8' (default) or 'float'. */
  readonly embeddingForm?: EmbeddingForm;
}

type Role = keyof typeof FACE_MODEL_NAMES;

/** Input and output names each model must have, checked once at load. */
const EXPECTED: Record<Role, { input: string; outputs: readonly string[] }> = {
  detector: { input: 'input', outputs: ['scores', 'boxes'] },
  landmarks: { input: 'input', outputs: ['output'] },
  embedding: { input: 'input', outputs: ['output'] },
  age: {
    input: 'input',
    outputs: ['prob_stage_1', 'stage1_delta_k', 'index_offset_stage1'],
  },
  gender: {
    input: 'input',
    outputs: ['prob_stage_1', 'stage1_delta_k', 'index_offset_stage1'],
  },
};

/**
 * The five ONNX sessions of the face branch, verified by sha256 against the manifest and
 * checked for their input and output names at load. Owns the sessions: close() when done.
 */
export class FaceModels {
  private closed = false;

  private constructor(
    readonly detector: ModelSession,
    readonly landmarks: ModelSession,
    readonly embedding: ModelSession,
    readonly age: ModelSession | undefined,
    readonly gender: ModelSession | undefined,
    readonly embeddingModel: EmbeddingModelId,
  ) {}

  /**
   * Loads the prepared face models. A missing or corrupt file is a ModelError naming the file
   * and `mobilenet-ros models prepare`; a model without the expected tensors is MODEL_UNSUPPORTED.
   */
  static async load(options: FaceModelsOptions): Promise<FaceModels> {
    const manifest = loadManifest(options.modelsDir);
    const roles: Role[] = ['detector', 'landmarks', 'embedding'];
    if (options.attributes ?? true) roles.push('age', 'gender');
    const sessions = new Map<Role, ModelSession>();
    const embeddingForm = options.embeddingForm ?? 'int8';
    let embeddingSha = '';
    try {
      for (const role of roles) {
        const name = FACE_MODEL_NAMES[role];
        const prepared = preparedFile(
          modelEntry(manifest, name),
          fileRole(role, embeddingForm),
          name,
        );
        const bytes = await readVerified(options.modelsDir, prepared);
        if (role === 'embedding') embeddingSha = prepared.sha256;
        // Only MobileFaceNet gets a thread pool. The other four take 0.3-4 ms each, and ONNX
        // Runtime's pool threads spin for a while after each run: with five sessions on two
        // cores, the spinning of one stole the CPU of the next (measured, 5 faces: 181 ms for
        // all five with 2 threads, 79 ms with 2 for the embedding and 1 for the rest).
        const threads = role === 'embedding' ? options.threads : 1;
        const session = await ModelSession.fromBytes(bytes, {
          label: `${name} (${prepared.file})`,
          ...(threads === undefined ? {} : { intraOpThreads: threads }),
          // Five models run back to back per frame: idle threads must not spin over the next one.
          spinWait: false,
          // The float MobileFaceNet is faster without the NCHWc layout pass (measured: 11-14 vs
          // 13-15 ms), the int8 one with it (6.3-6.6 vs 7.2-7.7 ms; 5 faces 32 vs 41 ms).
          ...(role === 'embedding' && embeddingForm === 'float'
            ? { graphOptimization: 'extended' as const }
            : {}),
        });
        sessions.set(role, session);
        checkTensors(session, role, name);
      }
    } catch (error) {
      await Promise.all([...sessions.values()].map((s) => s.close()));
      throw error;
    }
    const get = (role: Role): ModelSession => sessions.get(role)!;
    const dimension = get('embedding').outputs[0]?.dims[1];
    if (dimension !== EMBEDDING_DIMENSION) {
      await Promise.all([...sessions.values()].map((s) => s.close()));
      throw new ModelError(
        'MODEL_UNSUPPORTED',
        `${FACE_MODEL_NAMES.embedding}: embedding dimension ${String(dimension)}, expected ${EMBEDDING_DIMENSION}. ` +
          'Run `mobilenet-ros models prepare --force` to rebuild it.',
      );
    }
    return new FaceModels(
      get('detector'),
      get('landmarks'),
      get('embedding'),
      sessions.get('age'),
      sessions.get('gender'),
      {
        name: FACE_MODEL_NAMES.embedding,
        sha256: embeddingSha,
        dimension,
      },
    );
  }

  /** Releases every session. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const sessions = [this.detector, this.landmarks, this.embedding, this.age, this.gender].filter(
      (s): s is ModelSession => s !== undefined,
    );
    await Promise.all(sessions.map((s) => s.close()));
  }
}

function checkTensors(session: ModelSession, role: Role, name: string): void {
  const expected = EXPECTED[role];
  const inputs = session.inputs.map((t) => t.name);
  const outputs = session.outputs.map((t) => t.name);
  const missing = [expected.input, ...expected.outputs].filter(
    (n) => !inputs.includes(n) && !outputs.includes(n),
  );
  if (missing.length > 0) {
    throw new ModelError(
      'MODEL_UNSUPPORTED',
      `${name}: expected tensors ${missing.join(', ')}; the model has inputs ${inputs.join(', ')} and outputs ` +
        `${outputs.join(', ')}. Run \`mobilenet-ros models prepare --force\` to rebuild it.`,
    );
  }
}
