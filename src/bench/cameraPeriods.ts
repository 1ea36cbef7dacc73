/**
 * One camera's status in one DiagnosticArray of the node (src/publish/diagnostics.ts), read
 * back: the counts of one diagnostics period and the running totals.
 */
export interface CameraPeriod {
  readonly camera: string;
  readonly periodS: number;
  /** Frames the node received this period (input_rate_hz x period_s, rounded). */
  readonly received: number;
  /** Detection messages the node published this period (output_rate_hz x period_s, rounded). */
  readonly published: number;
  readonly dropped: number;
  readonly droppedTotal: number;
  readonly errorsTotal: number;
  /** Receive -> publish of this period's frames, ms; undefined when none was published ('n/a'). */
  readonly latencyP50Ms?: number;
  readonly latencyP95Ms?: number;
}

/**
 * The statuses of node `nodeName` in a diagnostic_msgs/DiagnosticArray as rclnodejs hands it
 * over (plain objects), one per camera; statuses of other nodes are skipped, so the benchmark
 * can listen on a shared /diagnostics.
 *
 * The node publishes rates, not counts: a count is rate x period, both printed with two
 * decimals. The product is off by at most (rate + period_s) x 0.005 frames, below 0.5 while
 * rate + period_s < 100 (e.g. a 30 frames/s camera at any period up to the longest, 60 s), so
 * that the rounded product is the node's own count.
 *
 * @throws Error naming the status and key when a status of this node lacks a key or holds a
 *   value that is not a number: the node and this reader disagree.
 */
export function readCameraPeriods(message: unknown, nodeName: string): CameraPeriod[] {
  const prefix = `${nodeName}: `;
  const statuses = (message as { status?: unknown } | null)?.status;
  if (!Array.isArray(statuses)) return [];
  const out: CameraPeriod[] = [];
  for (const status of statuses as unknown[]) {
    const s = status as { name?: unknown; values?: unknown };
    if (typeof s.name !== 'string' || !s.name.startsWith(prefix)) continue;
    const values = new Map<string, string>();
    for (const v of Array.isArray(s.values) ? (s.values as unknown[]) : []) {
      const kv = v as { key?: unknown; value?: unknown };
      if (typeof kv.key === 'string' && typeof kv.value === 'string') values.set(kv.key, kv.value);
    }
    const text = (key: string): string => {
      const value = values.get(key);
      if (value === undefined)
        throw new Error(`diagnostics status '${s.name as string}' has no '${key}'`);
      return value;
    };
    const num = (key: string): number => {
      const value = Number(text(key));
      if (!Number.isFinite(value))
        throw new Error(
          `diagnostics status '${s.name as string}': '${key}' is not a number: '${text(key)}'`,
        );
      return value;
    };
    const optional = (key: string): number | undefined =>
      text(key) === 'n/a' ? undefined : num(key);
    const periodS = num('period_s');
    const p50 = optional('latency_p50_ms');
    const p95 = optional('latency_p95_ms');
    out.push({
      camera: s.name.slice(prefix.length),
      periodS,
      received: Math.round(num('input_rate_hz') * periodS),
      published: Math.round(num('output_rate_hz') * periodS),
      dropped: num('dropped_frames'),
      droppedTotal: num('dropped_frames_total'),
      errorsTotal: num('errors_total'),
      ...(p50 !== undefined ? { latencyP50Ms: p50 } : {}),
      ...(p95 !== undefined ? { latencyP95Ms: p95 } : {}),
    });
  }
  return out;
}
