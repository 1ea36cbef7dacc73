import './ortTelemetry.js';
import fs from 'node:fs/promises';
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { ModelError } from '../errors.js';
import {
  CPU,
  describeProvider,
  ortProviderEntry,
  type ExecutionProvider,
} from './executionProvider.js';
import {
  formatProviderReport,
  type ProviderReport,
  type SkippedProvider,
} from './providerReport.js';
import { sessionFailureReason, unavailableReason } from './providerSupport.js';
import { webGpuProbe } from './webGpuProbe.js';
import type { TensorData, TensorSpec } from './tensorData.js';
import type { RunOptions } from './modelRunner.js';

/** Options for {@link ModelSession.create}. */
export interface ModelSessionOptions {
  /**
   * Threads inside one operator. Default: the `threads` of a cpu entry in the chain, else the
   * number of CPU cores (os.availableParallelism()).
   */
  intraOpThreads?: number;
  /** A single execution provider, no fallback. Default CPU. Ignored when `providers` is given. */
  provider?: ExecutionProvider;
  /**
   * Fallback chain, best first, e.g. tensorrt, cuda, cpu: the session runs on the first provider
   * that works, and `providerReport` says which and why the earlier ones did not.
   */
  providers?: readonly ExecutionProvider[];
  /**
   * Whether ONNX Runtime's idle worker threads spin between runs (its default). Spinning makes
   * back-to-back runs of one model fastest (measured here: the detector's bare loop 86 fps with,
   * 61-67 without), but steals the cores from other work between runs: several small models one
   * after another (the face branch: 5 faces 181 ms with spinning, 72 ms without) want it off.
   * Default true.
   */
  spinWait?: boolean;
  /**
   * ONNX Runtime's graph optimisation level. 'all' adds layout transforms (NCHWc) that speed up
   * most models here (the SSD, the face detector) but slow a few: MobileFaceNet ran 11-14 ms with
   * 'extended' against 13-15 ms with 'all' on 2 cores. Default 'all'.
   */
  graphOptimization?: 'all' | 'extended';
  /** Shown in error messages and the provider log line, e.g. "COCO detector". Default: the file name. */
  label?: string;
  /**
   * Receives the one-line provider report of this session (see formatProviderReport). Default:
   * the line goes to stderr only when the session fell back from its first choice.
   */
  log?: (line: string) => void;
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
    /** Which provider this session runs on, and why the preferred ones were unavailable. */
    readonly providerReport: ProviderReport,
  ) {
    this.inputs = session.inputMetadata.map(spec);
    this.outputs = session.outputMetadata.map(spec);
  }

  /** The execution provider this session runs on (the first of its chain that worked). */
  get provider(): ExecutionProvider {
    return this.providerReport.active;
  }

  /**
   * Loads a model file. A missing or unreadable file is a ModelError that names the file and
   * the command that prepares models.
   */
  static async create(path: string, options: ModelSessionOptions = {}): Promise<ModelSession> {
    const label = options.label ?? path;
    const chain = providerChain(options);
    const threads = sessionThreads(options, chain);
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
    return ModelSession.load(
      bytes,
      path,
      label,
      threads,
      chain,
      hint,
      options.log,
      tuning(options),
    );
  }

  /**
   * Loads a model held in memory, e.g. one built by code (see src/mobilenet/buildMobilenetOnnx.ts).
   * `label` (default "in-memory model") stands for the file name in errors and in `path`.
   */
  static async fromBytes(
    bytes: Uint8Array,
    options: ModelSessionOptions = {},
  ): Promise<ModelSession> {
    const label = options.label ?? 'in-memory model';
    const chain = providerChain(options);
    const threads = sessionThreads(options, chain);
    return ModelSession.load(bytes, label, label, threads, chain, '', options.log, tuning(options));
  }

  /**
   * Tries the chain in order. A provider that is not there (not compiled in, libraries missing)
   * is passed over without a session attempt; one that fails at session creation is passed over
   * with ORT's message. Each attempt registers the rest of the chain too, so that ORT can place
   * nodes TensorRT cannot take on CUDA, and the rest on the CPU. The error of the last provider
   * is the session's error (a corrupt model fails on every provider).
   */
  private static async load(
    bytes: Uint8Array,
    path: string,
    label: string,
    threads: number,
    chain: readonly ExecutionProvider[],
    hint: string,
    log: ((line: string) => void) | undefined,
    tuning: { spinWait: boolean; graphOptimization: 'all' | 'extended' },
  ): Promise<ModelSession> {
    const skipped: SkippedProvider[] = [];
    const reasons = await Promise.all(chain.map((p) => whyUnavailable(p.kind)));
    const usable = chain.filter((provider, i) => {
      const reason = reasons[i];
      if (reason !== undefined) skipped.push({ provider, reason });
      return reason === undefined;
    });
    let lastError: unknown;
    for (const [i, provider] of usable.entries()) {
      try {
        const session = await ort.InferenceSession.create(bytes, {
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          executionMode: 'sequential',
          graphOptimizationLevel: tuning.graphOptimization,
          executionProviders: usable.slice(i).map(ortProviderEntry),
          extra: tuning.spinWait
            ? {}
            : { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
        });
        const report: ProviderReport = {
          model: label,
          requested: chain,
          active: provider,
          // Only those preferred to the active one: a later provider that is missing does not matter.
          skipped: skipped
            .filter((s) => chain.indexOf(s.provider) < chain.indexOf(provider))
            .sort((a, b) => chain.indexOf(a.provider) - chain.indexOf(b.provider)),
        };
        const line = formatProviderReport(report);
        if (log !== undefined) log(line);
        else if (report.skipped.length > 0) process.stderr.write(`mobilenet-ros: ${line}\n`);
        return new ModelSession(session, path, report);
      } catch (error) {
        lastError = error;
        if (i < usable.length - 1)
          skipped.push({ provider, reason: sessionFailureReason(provider.kind, error) });
      }
    }
    if (lastError === undefined) {
      throw new ModelError(
        'MODEL_UNSUPPORTED',
        `${label}: none of its execution providers is available here: ` +
          skipped.map((s) => `${describeProvider(s.provider)}: ${s.reason}`).join('; ') +
          '. Add cpu at the end of inference.provider to fall back to the CPU.',
      );
    }
    const before =
      skipped.length > 0
        ? ` (after ${skipped.map((s) => `${describeProvider(s.provider)}: ${s.reason}`).join('; ')})`
        : '';
    throw new ModelError(
      'MODEL_CORRUPT',
      `${label}: onnxruntime cannot load ${path}: ${(lastError as Error).message}${before}.${hint}`,
      { cause: lastError },
    );
  }

  /** See {@link ModelRunner.run}. */
  async run(
    feeds: Record<string, TensorData>,
    outputs?: readonly string[],
    // Runs on this thread: nothing to move.
    _options?: RunOptions,
  ): Promise<Record<string, TensorData>> {
    if (this.closed)
      throw new ModelError(
        'SESSION_UNUSABLE',
        `model session ${this.path} is closed; runs must finish before close()`,
      );
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      ortFeeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    }
    const results = await (outputs === undefined
      ? this.session.run(ortFeeds)
      : this.session.run(ortFeeds, outputs));
    const out: Record<string, TensorData> = {};
    for (const [name, value] of Object.entries(results)) {
      out[name] = {
        type: value.type as TensorData['type'],
        data: value.data as TensorData['data'],
        dims: value.dims,
      };
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

/**
 * Why a provider cannot be used here, or undefined. WebGPU is asked in a child process first
 * (once per process, see webGpuProbe.ts): ORT's adapter request blocks this thread with no time
 * limit, and an adapter that is really the CPU (lavapipe, SwiftShader) is no accelerator.
 */
async function whyUnavailable(kind: ExecutionProvider['kind']): Promise<string | undefined> {
  const reason = unavailableReason(kind);
  if (reason !== undefined || kind !== 'webgpu') return reason;
  const probe = await webGpuProbe();
  if (!probe.available) return probe.reason;
  if (probe.softwareOnly) {
    return (
      `its only Vulkan drivers render on the CPU (${probe.vulkanDrivers.join(', ')}): ` +
      "WebGPU would run on the CPU, slower than the cpu provider; install the GPU vendor's Vulkan driver"
    );
  }
  return undefined;
}

function providerChain(options: ModelSessionOptions): readonly ExecutionProvider[] {
  const chain = options.providers ?? [options.provider ?? CPU];
  if (chain.length === 0)
    throw new RangeError(`'providers' must name at least one execution provider, got []`);
  return chain;
}

function sessionThreads(options: ModelSessionOptions, chain: readonly ExecutionProvider[]): number {
  const cpu = chain.find((p) => p.kind === 'cpu');
  const threads =
    (cpu?.kind === 'cpu' ? cpu.threads : undefined) ??
    options.intraOpThreads ??
    os.availableParallelism();
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new RangeError(`'threads' must be an integer in [1, 256], got ${threads}`);
  }
  return threads;
}

/** The onnxruntime version this build runs with. */
export const onnxruntimeVersion: string = ort.env.versions.common;

function tuning(options: ModelSessionOptions): {
  spinWait: boolean;
  graphOptimization: 'all' | 'extended';
} {
  return {
    spinWait: options.spinWait ?? true,
    graphOptimization: options.graphOptimization ?? 'all',
  };
}
