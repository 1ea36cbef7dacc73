import type { ProviderReport } from './providerReport.js';
import type { TensorData, TensorSpec } from './tensorData.js';

/** Options of {@link ModelRunner.run}. */
export interface RunOptions {
  /**
   * The caller gives up the input buffers: a runner on another thread moves them there instead
   * of copying (they are detached here, length 0, once run() returns). Only buffers that the
   * typed array covers whole are moved. Default false.
   */
  readonly transferInputs?: boolean;
}

/**
 * What the rest of the code needs from a loaded model, wherever it runs: on this thread
 * ({@link ModelSession}) or on a worker thread ({@link WorkerModelSession}). Owns the session:
 * close() when done.
 */
export interface ModelRunner {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** The model file (or the label of an in-memory model). */
  readonly path: string;
  /** Which provider the session runs on, and why the preferred ones were unavailable. */
  readonly providerReport: ProviderReport;
  /**
   * Runs the model on the given inputs and returns the named outputs (default: every output) as
   * plain data. Outputs not asked for stay inside onnxruntime: no copy, no allocation.
   */
  run(
    feeds: Record<string, TensorData>,
    outputs?: readonly string[],
    options?: RunOptions,
  ): Promise<Record<string, TensorData>>;
  /** Releases the session. Idempotent. */
  close(): Promise<void>;
}
