import { PAPER_SOURCE, TF_SLIM_SOURCE } from './referenceData.js';
import { modelName, type MobilenetBenchReport } from './runMobilenetBench.js';
import { mobilenetV1 } from './mobilenetV1.js';
import { separableVsStandard } from './separableVsStandard.js';
import { textTable } from './textTable.js';

/**
 * The benchmark as text: one row per model (mult-adds, parameters, measured p50/p95 latency and
 * the published ImageNet top-1, "unknown" where a source does not list the model), the fit of
 * latency on mult-adds, and the measured standard/separable speed ratio next to the cost
 * model's. Pure.
 */
export function formatBenchReport(report: MobilenetBenchReport): string {
  const table = textTable(
    [
      { header: 'model' },
      { header: 'mult-adds', align: 'right' },
      { header: 'params', align: 'right' },
      { header: 'p50 ms', align: 'right' },
      { header: 'p95 ms', align: 'right' },
      { header: 'top-1 paper', align: 'right' },
      { header: 'top-1 TF-Slim', align: 'right' },
    ],
    report.rows.map((r) => [
      modelName(r.alpha, r.resolution),
      `${(r.multAdds / 1e6).toFixed(1)}M`,
      `${(r.parameters / 1e6).toFixed(2)}M`,
      r.latency.p50.toFixed(2),
      r.latency.p95.toFixed(2),
      r.reference.paper === undefined ? 'unknown' : `${r.reference.paper.top1.toFixed(1)}%`,
      r.reference.tfSlim === undefined ? 'unknown' : `${r.reference.tfSlim.top1.toFixed(1)}%`,
    ]),
  );
  const c = report.comparison;
  const fit = report.latencyFit;
  const lines = [
    `MobileNetV1 benchmark, grid '${report.grid}': ${report.provider} provider, ${report.threads} thread(s), ` +
      `${report.runs} timed runs after ${report.warmupRuns} warm-up runs per model, batch 1, untrained weights`,
    '',
    table,
    '',
    `top-1 paper:   ImageNet top-1 of ${PAPER_SOURCE}`,
    `top-1 TF-Slim: ${TF_SLIM_SOURCE}`,
    '',
    `latency vs mult-adds: p50 ~ ${fit.intercept.toFixed(2)} ms + ${(fit.slope * 100).toFixed(2)} ms per 100M mult-adds, ` +
      `r = ${fit.r.toFixed(3)} over ${report.rows.length} models`,
    `standard / separable convolutions at ${modelName(c.alpha, c.resolution)}: ` +
      `theoretical ${c.theoreticalRatio.toFixed(2)}x (mult-adds ${(c.standard.multAdds / 1e6).toFixed(1)}M / ${(c.separable.multAdds / 1e6).toFixed(1)}M), ` +
      `measured ${c.measuredRatio.toFixed(2)}x (p50 ${c.standard.latency.p50.toFixed(2)} ms / ${c.separable.latency.p50.toFixed(2)} ms)`,
    blockRange(c.alpha, c.resolution),
  ];
  return `${lines.join('\n')}\n`;
}

/** The per-block speed-ups 1 / (1/N + 1/D_K^2) of the compared network, smallest and largest. */
function blockRange(alpha: number, resolution: number): string {
  const blocks = separableVsStandard(mobilenetV1({ alpha, resolution }));
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  if (first === undefined || last === undefined) return '';
  return (
    `  per block, 1/(1/N + 1/D_K^2) predicts ${(1 / first.formula).toFixed(2)}x (N = ${first.outChannels}) ` +
    `to ${(1 / last.formula).toFixed(2)}x (N = ${last.outChannels})`
  );
}
