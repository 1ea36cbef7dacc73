import { describeProvider, type ExecutionProvider } from './executionProvider.js';

/** A provider of the chain that was passed over, and why. */
export interface SkippedProvider {
  readonly provider: ExecutionProvider;
  readonly reason: string;
}

/**
 * Which execution provider a model runs on, and why the ones preferred to it did not work. Plain
 * data, for the log line and /diagnostics.
 */
export interface ProviderReport {
  /** The model's label, e.g. "coco_detector (qdq)". */
  readonly model: string;
  /** The chain as configured, best first. */
  readonly requested: readonly ExecutionProvider[];
  /** The provider the session was created with. */
  readonly active: ExecutionProvider;
  /** Providers before `active` in the chain that could not be used, in chain order. */
  readonly skipped: readonly SkippedProvider[];
}

/** True when the model runs on its first choice. */
export function onPreferredProvider(report: ProviderReport): boolean {
  return report.skipped.length === 0;
}

/**
 * One log line: `coco_detector (qdq): running on cpu; cuda:0 unavailable: <reason>`.
 */
export function formatProviderReport(report: ProviderReport): string {
  const head = `${report.model}: running on ${describeProvider(report.active)}`;
  if (report.skipped.length === 0) return head;
  return `${head}; ${report.skipped.map((s) => `${describeProvider(s.provider)} unavailable: ${s.reason}`).join('; ')}`;
}
