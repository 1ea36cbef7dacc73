/**
 * One finding of `mobilenet-ros doctor`: plain data, formatted by formatDoctorReport.
 * `fail` means something the configuration needs is missing or broken (doctor exits 1);
 * `warn` means it works, but not as well as configured (e.g. on a fallback provider).
 */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  /** Heading it is listed under: 'onnxruntime', 'opencv', 'ros', 'models', 'timing'. */
  readonly section: string;
  readonly status: CheckStatus;
  /** One line: what was found. */
  readonly summary: string;
  /** Further lines (e.g. module lists, skipped providers). */
  readonly details?: readonly string[];
  /** What to do, for warn and fail. */
  readonly fix?: string;
}

/** The report as text: sections in first-seen order, one line per check, then a verdict. */
export function formatDoctorReport(header: string, checks: readonly DoctorCheck[]): string {
  const lines = [header];
  const sections = [...new Set(checks.map((c) => c.section))];
  for (const section of sections) {
    lines.push('', section);
    for (const check of checks.filter((c) => c.section === section)) {
      lines.push(`  ${check.status.padEnd(5)} ${check.summary}`);
      for (const detail of check.details ?? []) lines.push(`        ${detail}`);
      if (check.fix !== undefined && check.status !== 'ok') lines.push(`        -> ${check.fix}`);
    }
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  lines.push(
    '',
    failed > 0
      ? `${failed} problem(s) to fix before running${warned > 0 ? `, ${warned} warning(s)` : ''} (see -> above)`
      : `ready${warned > 0 ? `, with ${warned} warning(s)` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Process exit status of a doctor run: 1 when any check failed, else 0. */
export function doctorExitStatus(checks: readonly DoctorCheck[]): 0 | 1 {
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}
