import type { DiagnosticArray, DiagnosticStatus, Header } from '../messages/types.js';

/** diagnostic_msgs/DiagnosticStatus levels. */
export const DiagnosticLevel = { ok: 0, warn: 1, error: 2, stale: 3 } as const;

/** What happened on one camera during one diagnostics period. */
export interface CameraDiagnostics {
  readonly camera: string;
  /** The topic subscribed to (becomes hardware_id). */
  readonly topic: string;
  /** Seconds the period lasted. */
  readonly periodS: number;
  /** Frames received per second. */
  readonly inputHz: number;
  /** Detection messages published per second. */
  readonly outputHz: number;
  /** Frames replaced by a newer one before they were processed (overload), this period and in total. */
  readonly dropped: number;
  readonly droppedTotal: number;
  /** Frames skipped by the camera's max_rate_hz, this period. */
  readonly rateLimited: number;
  /** Frames that failed (decode, inference), this period and in total. */
  readonly errors: number;
  readonly errorsTotal: number;
  /** Failed frames since the start by reason (an error code such as IMAGE_INVALID). */
  readonly errorsByReasonTotal?: ReadonlyMap<string, number>;
  /** Latency from receive to publish of the frames published this period, ms; undefined when none. */
  readonly latencyP50Ms?: number;
  readonly latencyP95Ms?: number;
  /** The latest error message, if any this period. */
  readonly lastError?: string;
  /** Set when the detector is not running (loading, failed, or turned off). */
  readonly notRunning?: string;
}

/**
 * Builds the node's DiagnosticArray: one status per camera, named `<node>: <camera>`, with its
 * rates, drops, errors and latency percentiles as key/values. Level: ERROR when frames failed,
 * WARN when frames were dropped or nothing arrived, else OK. The header is given (stamped by
 * the caller with the node's clock, since diagnostics are not derived from one frame).
 */
export function diagnosticArray(
  header: Header,
  nodeName: string,
  cameras: readonly CameraDiagnostics[],
  /** Where each model runs, one line per model (e.g. "coco_detector (qdq): running on cpu"). */
  providers: readonly string[] = [],
): DiagnosticArray {
  return { header, status: cameras.map((c) => cameraStatus(nodeName, c, providers)) };
}

function cameraStatus(
  nodeName: string,
  c: CameraDiagnostics,
  providers: readonly string[],
): DiagnosticStatus {
  let level: number = DiagnosticLevel.ok;
  let message = 'ok';
  if (c.notRunning !== undefined) {
    level = DiagnosticLevel.warn;
    message = c.notRunning;
  } else if (c.errors > 0) {
    level = DiagnosticLevel.error;
    message = `${c.errors} frame(s) failed: ${c.lastError ?? 'unknown error'}`;
  } else if (c.inputHz === 0) {
    level = DiagnosticLevel.warn;
    message = 'no frames received';
  } else if (c.dropped > 0) {
    level = DiagnosticLevel.warn;
    message = `${c.dropped} frame(s) dropped: input faster than the detector`;
  }
  const fixed = (n: number | undefined, digits: number): string =>
    n === undefined ? 'n/a' : n.toFixed(digits);
  return {
    level,
    name: `${nodeName}: ${c.camera}`,
    message,
    hardware_id: c.topic,
    values: [
      { key: 'input_rate_hz', value: fixed(c.inputHz, 2) },
      { key: 'output_rate_hz', value: fixed(c.outputHz, 2) },
      { key: 'dropped_frames', value: String(c.dropped) },
      { key: 'dropped_frames_total', value: String(c.droppedTotal) },
      { key: 'rate_limited_frames', value: String(c.rateLimited) },
      { key: 'errors', value: String(c.errors) },
      { key: 'errors_total', value: String(c.errorsTotal) },
      ...(c.errorsByReasonTotal !== undefined && c.errorsByReasonTotal.size > 0
        ? [{ key: 'errors_total_by_reason', value: byReason(c.errorsByReasonTotal) }]
        : []),
      { key: 'latency_p50_ms', value: fixed(c.latencyP50Ms, 1) },
      { key: 'latency_p95_ms', value: fixed(c.latencyP95Ms, 1) },
      { key: 'period_s', value: fixed(c.periodS, 2) },
      ...(providers.length > 0
        ? [{ key: 'execution_providers', value: providers.join(' | ') }]
        : []),
    ],
  };
}

/** "IMAGE_INVALID 12, IMAGE_DECODE_FAILED 3": most frequent first. */
function byReason(counts: ReadonlyMap<string, number>): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
}

/**
 * The node-wide status after a fatal failure (the model's thread died, its session unusable):
 * ERROR, saying what died; published beside the cameras' statuses from then on.
 */
export function fatalStatus(
  nodeName: string,
  error: { readonly code: string; readonly message: string },
): DiagnosticStatus {
  return {
    level: DiagnosticLevel.error,
    name: `${nodeName}: pipeline`,
    message: `stopped: ${error.message}`,
    hardware_id: nodeName,
    values: [{ key: 'error_code', value: error.code }],
  };
}
