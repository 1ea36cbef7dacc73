import { percentile } from '../stats/latencyStats.js';
import type { CameraDiagnostics } from '../publish/diagnostics.js';

interface Counters {
  received: number;
  published: number;
  dropped: number;
  rateLimited: number;
  errors: number;
  /** Errors by reason (see errorReason): a few distinct codes, so the map stays small. */
  errorsByReason: Map<string, number>;
  latencies: number[];
  lastError?: string;
}

const zero = (): Counters => ({
  received: 0,
  published: 0,
  dropped: 0,
  rateLimited: 0,
  errors: 0,
  errorsByReason: new Map(),
  latencies: [],
});

/**
 * Per-camera counters for diagnostics: each period's counts and latencies, and running totals.
 * Pure bookkeeping; the caller supplies times, so tests control the clock.
 */
export class CameraStats {
  private readonly period = new Map<string, Counters>();
  private readonly totals = new Map<string, Counters>();
  private periodStart: number;

  /** @param cameras camera name -> topic, in report order. @param nowMs monotonic ms of the start. */
  constructor(
    private readonly cameras: ReadonlyMap<string, string>,
    nowMs: number,
  ) {
    this.periodStart = nowMs;
    for (const name of cameras.keys()) {
      this.period.set(name, zero());
      this.totals.set(name, zero());
    }
  }

  received(camera: string): void {
    this.bump(camera, (c) => c.received++);
  }

  published(camera: string, latencyMs: number): void {
    this.bump(camera, (c) => c.published++);
    this.period.get(camera)?.latencies.push(latencyMs);
  }

  dropped(camera: string): void {
    this.bump(camera, (c) => c.dropped++);
  }

  rateLimited(camera: string): void {
    this.bump(camera, (c) => c.rateLimited++);
  }

  /** A frame of `camera` failed: `reason` is its error's code (see errorReason). */
  error(camera: string, message: string, reason: string): void {
    this.bump(camera, (c) => {
      c.errors++;
      c.errorsByReason.set(reason, (c.errorsByReason.get(reason) ?? 0) + 1);
      c.lastError = message;
    });
  }

  /** Running totals of one camera (for tests and benchmarks). */
  total(camera: string): Readonly<Omit<Counters, 'latencies' | 'errorsByReason'>> & {
    readonly errorsByReason: ReadonlyMap<string, number>;
  } {
    const c = this.totals.get(camera);
    if (c === undefined) throw new RangeError(`unknown camera '${camera}'`);
    return c;
  }

  /** Whether a camera received anything since the start. */
  hasReceived(camera: string): boolean {
    return (this.totals.get(camera)?.received ?? 0) > 0;
  }

  /** Ends the current period: its diagnostics per camera; counters restart. */
  takePeriod(nowMs: number, notRunning?: string): CameraDiagnostics[] {
    const periodS = Math.max((nowMs - this.periodStart) / 1000, 1e-9);
    this.periodStart = nowMs;
    const out: CameraDiagnostics[] = [];
    for (const [camera, topic] of this.cameras) {
      const c = this.period.get(camera) ?? zero();
      const t = this.totals.get(camera) ?? zero();
      const sorted = [...c.latencies].sort((a, b) => a - b);
      out.push({
        camera,
        topic,
        periodS,
        inputHz: c.received / periodS,
        outputHz: c.published / periodS,
        dropped: c.dropped,
        droppedTotal: t.dropped,
        rateLimited: c.rateLimited,
        errors: c.errors,
        errorsTotal: t.errors,
        errorsByReasonTotal: new Map(t.errorsByReason),
        ...(sorted.length > 0
          ? { latencyP50Ms: percentile(sorted, 50), latencyP95Ms: percentile(sorted, 95) }
          : {}),
        ...(c.lastError !== undefined ? { lastError: c.lastError } : {}),
        ...(notRunning !== undefined ? { notRunning } : {}),
      });
      this.period.set(camera, zero());
    }
    return out;
  }

  private bump(camera: string, change: (c: Counters) => void): void {
    const p = this.period.get(camera);
    const t = this.totals.get(camera);
    if (p === undefined || t === undefined) return;
    change(p);
    change(t);
  }
}
