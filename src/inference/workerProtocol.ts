import {
  BagError,
  ConfigError,
  GalleryError,
  ImageError,
  MessageError,
  ModelError,
  RosUnavailableError,
  type ErrorCode,
  type MobilenetRosError,
} from '../errors.js';
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
  /** Where it was thrown (in the worker), for logs. */
  readonly stack?: string;
  /** The cause, serialized the same way (down to {@link MAX_CAUSE_DEPTH} levels). */
  readonly cause?: SerializedError;
}

/**
 * Causes kept across the thread boundary. A cause chain is short in practice; the bound keeps a
 * cyclic or runaway chain from growing the message without limit.
 */
export const MAX_CAUSE_DEPTH = 8;

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

/** An error (or any thrown value) as plain data that structured clone keeps intact. */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as Partial<MobilenetRosError>).code;
  const cause =
    error.cause === undefined || depth >= MAX_CAUSE_DEPTH
      ? undefined
      : serializeError(error.cause, depth + 1);
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(cause === undefined ? {} : { cause }),
  };
}

type ErrorClass = new (code: ErrorCode, message: string, options?: { cause?: unknown }) => Error;

/** The project's error classes, by name: rebuilt with their code. */
const DOMAIN_ERRORS: Readonly<Record<string, ErrorClass>> = {
  ImageError,
  BagError,
  MessageError,
  ModelError,
  ConfigError,
  RosUnavailableError,
  GalleryError,
};

/** Built-in classes whose name says what went wrong (argument errors). */
const BUILTIN_ERRORS: Readonly<Record<string, new (message: string) => Error>> = {
  TypeError,
  RangeError,
};

/**
 * Rebuilds a serialized error: the project's error classes and TypeError/RangeError keep their
 * class (and code), anything else is an Error with the original name; causes are rebuilt the
 * same way. The stack is the one from the thread that threw.
 */
export function deserializeError(error: SerializedError): Error {
  const cause = error.cause === undefined ? undefined : deserializeError(error.cause);
  const options = cause === undefined ? undefined : { cause };
  // Own properties only: a name like 'constructor' must not find Object's.
  const domain = Object.hasOwn(DOMAIN_ERRORS, error.name) ? DOMAIN_ERRORS[error.name] : undefined;
  const builtin = Object.hasOwn(BUILTIN_ERRORS, error.name)
    ? BUILTIN_ERRORS[error.name]
    : undefined;
  let result: Error;
  if (domain !== undefined && error.code !== undefined) {
    result = new domain(error.code as ErrorCode, error.message, options);
  } else if (builtin !== undefined) {
    result = new builtin(error.message);
    if (cause !== undefined) result.cause = cause;
  } else {
    result = new Error(error.message, options);
    result.name = error.name;
  }
  if (error.stack !== undefined) result.stack = error.stack;
  return result;
}

/**
 * Fault injection, for tests of what happens when an inference thread dies (the rest of the
 * program cannot reach the thread to kill it): `exit:<n>` makes the thread call process.exit at
 * its n-th run, `throw:<n>` throw an uncaught error there. Unset in normal use.
 */
export const WORKER_FAULT_ENV = 'MOBILENET_ROS_WORKER_FAULT';

/** A parsed {@link WORKER_FAULT_ENV}. */
export interface InjectedFault {
  readonly kind: 'exit' | 'throw';
  /** The run (from 1) at which the thread dies. */
  readonly atRun: number;
}

/** Parses {@link WORKER_FAULT_ENV}; undefined when unset, RangeError when malformed. */
export function injectedFault(value: string | undefined): InjectedFault | undefined {
  if (value === undefined || value === '') return undefined;
  const match = /^(exit|throw):([1-9][0-9]*)$/.exec(value);
  if (match === null)
    throw new RangeError(
      `'${WORKER_FAULT_ENV}' must be exit:<n> or throw:<n> with n >= 1, got '${value}'`,
    );
  return { kind: match[1] as 'exit' | 'throw', atRun: Number(match[2]) };
}
