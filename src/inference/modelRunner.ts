import type { ProviderReport } from './providerReport.js';
import type { TensorData, TensorSpec } from './tensorData.js';

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
  ): Promise<Record<string, TensorData>>;
  /** Releases the session. Idempotent. */
  close(): Promise<void>;
}
