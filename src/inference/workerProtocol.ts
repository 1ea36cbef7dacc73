import { ModelError, type ErrorCode, type MobilenetRosError } from '../errors.js';
import type { ModelSessionOptions } from './modelSession.js';
import type { ProviderReport } from './providerReport.js';
import type { TensorData, TensorSpec } from './tensorData.js';

/** What a model session worker is started with. */
export interface WorkerSessionData {
  readonly path: string;
  /** The session options that can cross threads (no log function). */
  readonly options: Omit<ModelSessionOptions, 'log'>;
  /** Send the provider report line back as a 'log' message. */
  readonly forwardLog: boolean;
}

/** An error as plain data, rebuilt on the other side by {@link deserializeError}. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  /** The MobilenetRosError code, when it was one. */
  readonly code?: string;
}

/** Main thread -> worker. */
export type ToWorker =
  | {
      readonly type: 'run';
      readonly id: number;
      readonly feeds: Record<string, TensorData>;
      /** Outputs to return; undefined: all. */
      readonly outputs: readonly string[] | undefined;
    }
  | { readonly type: 'close' };

/** Worker -> main thread. */
export type FromWorker =
  | {
      readonly type: 'ready';
      readonly inputs: readonly TensorSpec[];
      readonly outputs: readonly TensorSpec[];
      readonly providerReport: ProviderReport;
    }
  | { readonly type: 'loadError'; readonly error: SerializedError }
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'result'; readonly id: number; readonly outputs: Record<string, TensorData> }
  | { readonly type: 'runError'; readonly id: number; readonly error: SerializedError }
  | { readonly type: 'closed' };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as Partial<MobilenetRosError>).code;
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}

/** A ModelError keeps its class and code across the thread boundary; anything else is an Error. */
export function deserializeError(error: SerializedError): Error {
  if (error.name === 'ModelError' && error.code !== undefined) {
    return new ModelError(error.code as ErrorCode, error.message);
  }
  const result = new Error(error.message);
  result.name = error.name;
  return result;
}
