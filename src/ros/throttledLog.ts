/**
 * At most one log line per key every `intervalMs`: a broken camera at 30 fps must not flood the
 * log, and one line every few seconds still says that it is broken.
 */
export class ThrottledLog {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  /** Whether a line for `key` may be written now (and, if so, counts it as written). */
  allow(key: string): boolean {
    const nowMs = this.now();
    if (nowMs - (this.last.get(key) ?? -Infinity) < this.intervalMs) return false;
    this.last.set(key, nowMs);
    return true;
  }
}
