import { errorReason } from '../errors.js';
import type { FrameResult } from './frameResult.js';
import { formatStamp } from '../sources/cameraFrame.js';

/** How many per-frame error texts a summary keeps (the counts by reason cover every one). */
export const KEPT_ERRORS = 100;

/**
 * Counts over a run: frames, detections per label, per-frame errors, throughput.
 * Bounded whatever the input: a run of a million bad frames keeps their counts by reason and
 * the first {@link KEPT_ERRORS} texts, not a million strings.
 */
export class RunSummary {
  frames = 0;
  failed = 0;
  readonly perLabel = new Map<string, number>();
  /** The first KEPT_ERRORS per-frame errors, "topic @ stamp: message". */
  readonly errors: string[] = [];
  /** Failed frames by reason: the error's code (e.g. IMAGE_INVALID), or its name. */
  readonly failuresByReason = new Map<string, number>();
  /** Faces found by the face branch (when it ran), and the enrolled people recognised. */
  faces = 0;
  readonly identities = new Set<string>();
  /** Problems with the input as a whole (e.g. a truncated bag), reported once. */
  readonly warnings: string[] = [];
  private readonly started = process.hrtime.bigint();

  add(result: FrameResult): void {
    this.frames++;
    if (result.error !== undefined) {
      this.failed++;
      const reason = errorReason(result.error);
      this.failuresByReason.set(reason, (this.failuresByReason.get(reason) ?? 0) + 1);
      if (this.errors.length < KEPT_ERRORS) {
        this.errors.push(
          `${result.frame.topic} @ ${formatStamp(result.frame.header)}: ${result.error.message}`,
        );
      }
      return;
    }
    for (const d of result.detections)
      this.perLabel.set(d.label, (this.perLabel.get(d.label) ?? 0) + 1);
    if (result.faces !== undefined) {
      this.faces += result.faces.length;
      for (const f of result.faces) if (f.identity !== '') this.identities.add(f.identity);
    }
  }

  get seconds(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e9;
  }

  get framesPerSecond(): number {
    return this.frames / Math.max(this.seconds, 1e-9);
  }

  /** Human-readable report, one fact per line. */
  format(): string {
    const labels = [...this.perLabel.entries()].sort((a, b) => b[1] - a[1]);
    const lines = [
      `frames: ${this.frames} (${this.frames - this.failed} processed, ${this.failed} failed)`,
      `time: ${this.seconds.toFixed(2)} s, ${this.framesPerSecond.toFixed(1)} frames/s`,
      `detections: ${labels.reduce((n, [, c]) => n + c, 0)}${labels.length ? ' (' + labels.map(([l, c]) => `${l} ${c}`).join(', ') + ')' : ''}`,
    ];
    if (this.faces > 0 || this.identities.size > 0) {
      lines.push(
        `faces: ${this.faces}${this.identities.size > 0 ? ` (recognised: ${[...this.identities].join(', ')})` : ''}`,
      );
    }
    for (const w of this.warnings) lines.push(`warning: ${w}`);
    if (this.failed > 0) {
      const reasons = [...this.failuresByReason.entries()].sort((a, b) => b[1] - a[1]);
      lines.push(`failed by reason: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}`);
      lines.push('per-frame errors:');
      for (const e of this.errors.slice(0, 20)) lines.push(`  ${e}`);
      if (this.failed > 20) lines.push(`  ... and ${this.failed - 20} more`);
    }
    return lines.join('\n');
  }
}
