import fs from 'node:fs/promises';
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { ModelError } from '../errors.js';
import { CPU, type ExecutionProvider } from './executionProvider.js';
import type { TensorData, TensorSpec } from './tensorData.js';

/** Options for {@link ModelSession.create}. */
export interface ModelSessionOptions {
  /** Threads inside one operator. Default: the number of CPU cores (os.availableParallelism()). */
  intraOpThreads?: number;
  /** Execution provider. Default CPU. */
  provider?: ExecutionProvider;
  /** Shown in error messages, e.g. "COCO detector". Default: the file name. */
  label?: string;
}

/**
 * One ONNX Runtime inference session. Owns the native session: call close() when done.
 */
export class ModelSession {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  private closed = false;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly path: string,
    readonly provider: ExecutionProvider,
  ) {
    this.inputs = session.inputMetadata.map(spec);
    this.outputs = session.outputMetadata.map(spec);
  }

  /**
   * Loads a model file. A missing or unreadable file is a ModelError that names the file and
   * the command that prepares models.
   */
  static async create(path: string, options: ModelSessionOptions = {}): Promise<ModelSession> {
    const label = options.label ?? path;
    const threads = options.intraOpThreads ?? os.availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
      throw new RangeError(`'threads' must be an integer in [1, 256], got ${threads}`);
    }
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(path);
    } catch (error) {
      throw new ModelError(
        'MODEL_MISSING',
        `${label}: model file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}). ` +
          'Run `mobilenet-ros models prepare` to fetch and convert the models.',
        { cause: error },
      );
    }
    const hint = ' Run `mobilenet-ros models prepare --force` to rebuild it.';
    return ModelSession.load(bytes, path, label, threads, options.provider ?? CPU, hint);
  }

  /**
   * Loads a model held in memory, e.g. one built by code (see src/mobilenet/buildMobilenetOnnx.ts).
   * `label` (default "in-memory model") stands for the file name in errors and in `path`.
   */
  static async fromBytes(bytes: Uint8Array, options: ModelSessionOptions = {}): Promise<ModelSession> {
    const label = options.label ?? 'in-memory model';
    const threads = options.intraOpThreads ?? os.availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
      throw new RangeError(`'threads' must be an integer in [1, 256], got ${threads}`);
    }
    return ModelSession.load(bytes, label, label, threads, options.provider ?? CPU, '');
  }

  private static async load(
    bytes: Uint8Array,
    path: string,
    label: string,
    threads: number,
    provider: ExecutionProvider,
    hint: string,
  ): Promise<ModelSession> {
    try {
      const session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        executionProviders: [providerName(provider)],
      });
      return new ModelSession(session, path, provider);
    } catch (error) {
      throw new ModelError(
        'MODEL_CORRUPT',
        `${label}: onnxruntime cannot load ${path}: ${(error as Error).message}.${hint}`,
        { cause: error },
      );
    }
  }

  /** Runs the model on the given inputs and returns every output as plain data. */
  async run(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
    if (this.closed) throw new Error(`model session ${this.path} is closed`);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      ortFeeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    }
    const results = await this.session.run(ortFeeds);
    const out: Record<string, TensorData> = {};
    for (const [name, value] of Object.entries(results)) {
      out[name] = { type: value.type as TensorData['type'], data: value.data as TensorData['data'], dims: value.dims };
    }
    return out;
  }

  /** Releases the native session. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.session.release();
  }
}

function spec(meta: ort.InferenceSession.ValueMetadata): TensorSpec {
  return meta.isTensor
    ? { name: meta.name, type: meta.type, dims: meta.shape }
    : { name: meta.name, type: 'non-tensor', dims: [] };
}

function providerName(provider: ExecutionProvider): string {
  switch (provider.kind) {
    case 'cpu':
      return 'cpu';
    case 'cuda':
      return 'cuda';
    case 'tensorrt':
      return 'tensorrt';
  }
}

/** The onnxruntime version this build runs with. */
export const onnxruntimeVersion: string = ort.env.versions.common;
