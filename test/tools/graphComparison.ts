import type { LatencySummary } from '../../src/stats/latencyStats.js';
import type { RealGraphBenchResult } from '../../src/bench/realGraphBench.js';
import type { RosNodeBenchResult } from './rosNodeBench.js';

/**
 * The two ROS benches side by side, target by target: the node on the rclnodejs test double
 * (in-process) and on the real ROS 2 graph (a separate process). Each column's ratios and
 * checks come from measurements interleaved within that bench; the two benches ran one after
 * the other, so compare their ratios and checks, and their absolute numbers only loosely.
 */
export function formatGraphComparison(
  double: RosNodeBenchResult,
  real: RealGraphBenchResult,
): string {
  const pass = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const ms = (l: LatencySummary | undefined): string =>
    l === undefined ? 'n/a' : `${l.p50.toFixed(1)} / ${l.p95.toFixed(1)} ms`;
  const d = double.overload;
  const r = real.overload;
  const doubleBound = 3 * double.singleFrame.p50;
  const realBound = 3 * real.singleFrame.backToBack.p50;
  const doubleDropCheck = d.delivered - d.published;
  const realDropCheck = r.receivedByNode - r.published - r.errorsInDiagnostics;
  const rows: [string, string, string][] = [
    [
      'node / replay frames/s (>= 90%)',
      `${pct(double.ratio)} ${pass(double.ratio >= 0.9)}`,
      `${pct(real.throughput.ratio)} ${pass(real.throughput.ratio >= 0.9)}`,
    ],
    [
      '  node, replay frames/s',
      `${double.nodeFps.toFixed(1)}, ${double.replayFps.toFixed(1)}`,
      `${real.throughput.nodeFps.toFixed(1)}, ${real.throughput.replayFps.toFixed(1)} (kept up)`,
    ],
    [
      'single frame back to back p50 / p95',
      `${ms(double.singleFrame)} (receive -> publish)`,
      `${ms(real.singleFrame.backToBack)} (publish -> here)`,
    ],
    [
      'single frame after idle p50 / p95',
      'n/a (not measured)',
      `${ms(real.singleFrame.afterIdle.node)} (receive -> publish)`,
    ],
    [
      'overload frames/s published',
      (d.published / Math.max(d.seconds, 1e-9)).toFixed(1),
      (r.published / Math.max(r.seconds, 1e-9)).toFixed(1),
    ],
    [
      'overload p95 <= 3 x single p50',
      `${d.latency.p95.toFixed(1)} <= ${doubleBound.toFixed(1)} ms ${pass(d.latency.p95 <= doubleBound)} (receive -> publish)`,
      r.latency === undefined
        ? 'n/a MISSED'
        : `${r.latency.p95.toFixed(1)} <= ${realBound.toFixed(1)} ms ${pass(r.latency.p95 <= realBound)} (publish -> here)`,
    ],
    [
      'drops in /diagnostics = in - published',
      `${d.droppedInDiagnostics} = ${doubleDropCheck} ${pass(d.droppedInDiagnostics === doubleDropCheck)}`,
      `${r.droppedInDiagnostics} = ${realDropCheck} ${pass(r.droppedInDiagnostics === realDropCheck)}`,
    ],
    [
      'fairness min/max (>= 0.9)',
      `${d.fairness.toFixed(2)} ${pass(d.fairness >= 0.9)}`,
      `${r.fairness.toFixed(2)} ${pass(r.fairness >= 0.9)}`,
    ],
    [
      'RSS 20% -> end (< 5%)',
      `${pct(d.rssGrowth)} ${pass(d.rssGrowth < 0.05)} (bench process)`,
      `${pct(r.rssGrowth)} ${pass(r.rssGrowth < 0.05)} (node process)`,
    ],
  ];
  const w0 = Math.max(...rows.map((row) => row[0].length), 'target'.length);
  const w1 = Math.max(...rows.map((row) => row[1].length), 'test double'.length);
  const line = (a: string, b: string, c: string): string =>
    `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`.trimEnd();
  return [
    'test double vs real ROS 2 graph (each column from its own interleaved run; the two ran one after the other)',
    line('target', 'test double', 'real graph'),
    ...rows.map(([a, b, c]) => line(a, b, c)),
  ].join('\n');
}
