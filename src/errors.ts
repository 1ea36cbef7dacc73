/**
 * Domain errors. Each carries a stable `code` for programs and a message for people that
 * says what was wrong and what to do. Argument errors use the built-in TypeError/RangeError.
 */

export type ErrorCode =
  | 'IMAGE_INVALID'
  | 'IMAGE_UNSUPPORTED_ENCODING'
  | 'IMAGE_DECODE_FAILED'
  | 'IMAGE_TOO_LARGE'
  | 'BAG_INVALID'
  | 'BAG_UNSUPPORTED'
  | 'BAG_OUTPUT_EXISTS'
  | 'BAG_WRITE_FAILED'
  | 'MESSAGE_INVALID'
  | 'MESSAGE_UNKNOWN_TYPE'
  | 'MODEL_MISSING'
  | 'MODEL_CORRUPT'
  | 'MODEL_UNSUPPORTED'
  | 'MODEL_FETCH_FAILED'
  | 'WORKER_DIED'
  | 'SESSION_UNUSABLE'
  | 'CONFIG_INVALID'
  | 'ROS_UNAVAILABLE'
  | 'GALLERY_CORRUPT'
  | 'GALLERY_MODEL_MISMATCH'
  | 'GALLERY_DUPLICATE_NAME'
  | 'GALLERY_UNKNOWN_NAME'
  | 'GALLERY_INVALID_NAME'
  | 'GALLERY_WRITE_FAILED'
  | 'ENROLL_NO_FACE'
  | 'ENROLL_SEVERAL_FACES';

/**
 * Codes of failures that will not recover by going on with the next frame: the thread that ran
 * a model is gone, or a model session can no longer run. A pipeline stops on them instead of
 * counting every remaining frame as failed.
 */
const FATAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['WORKER_DIED', 'SESSION_UNUSABLE']);

/** Base class: a code, a message, and the underlying cause when there is one. */
export class MobilenetRosError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /** True when the failure will not recover: the run or node must stop (see FATAL_CODES). */
  get fatal(): boolean {
    return FATAL_CODES.has(this.code);
  }
}

/**
 * The fatal error in `error` or in its chain of causes (a stage may wrap the model's error),
 * or undefined when the failure concerns only the frame at hand. Follows at most 8 causes.
 */
export function fatalError(error: unknown): MobilenetRosError | undefined {
  let current = error;
  for (let depth = 0; depth <= 8 && current instanceof Error; depth++) {
    if (current instanceof MobilenetRosError && current.fatal) return current;
    current = current.cause;
  }
  return undefined;
}

/** An image message or file that cannot be turned into pixels. */
export class ImageError extends MobilenetRosError {}

/** A bag that cannot be read or written. */
export class BagError extends MobilenetRosError {}

/** A message object that does not match its definition, or bytes that do not decode. */
export class MessageError extends MobilenetRosError {}

/** A model file that is missing, corrupt, or uses something we do not support. */
export class ModelError extends MobilenetRosError {}

/** A configuration file or parameter with an invalid value. */
export class ConfigError extends MobilenetRosError {}

/** ROS 2 is not sourced or rclnodejs cannot be loaded. */
export class RosUnavailableError extends MobilenetRosError {}

/** A face gallery that cannot be used, or an enrolment that cannot be done. */
export class GalleryError extends MobilenetRosError {}

/**
 * A stable name for why something failed, for counting failures by kind: the domain error's
 * code (e.g. IMAGE_INVALID), else the error's class name (RangeError), else 'Error'.
 */
export function errorReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return error instanceof Error && error.name !== '' ? error.name : 'Error';
}

/**
 * A string for an error message, escaped (control characters as \n, \u0007...) and cut to `max`
 * characters; callers add their own quotes. A hostile message may carry a megabyte-long string,
 * and an error text is logged, kept and published in /diagnostics.
 */
export function boundedText(value: string, max = 64): string {
  const escaped = (s: string): string => JSON.stringify(s).slice(1, -1);
  if (value.length <= max) return escaped(value);
  return `${escaped(value.slice(0, max))}... (${value.length} characters)`;
}

/** The message of a caught value: an Error's message, anything else as a string. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
