import { TF_SLIM_SOURCE } from './referenceData.js';
import { modelName, type MobilenetBenchReport } from './runMobilenetBench.js';
import { svgScatterPlot } from './svgScatterPlot.js';

/** The benchmark's plots as SVG documents, keyed by file name. */
export interface BenchPlots {
  /** Measured p50 latency against published ImageNet top-1: the trade-off a user picks from. */
  readonly 'latency-vs-accuracy.svg': string;
  /** Measured p50 latency against mult-adds, with the least-squares line. */
  readonly 'latency-vs-mult-adds.svg': string;
}

/**
 * Draws the benchmark. Accuracy comes from the TF-Slim table, the one source that covers all 16
 * models; a model it does not list is left out of the accuracy plot and the note says how many.
 * Pure.
 */
export function benchPlots(report: MobilenetBenchReport): BenchPlots {
  const series = (alpha: number): string => `alpha ${alpha}`;
  const known = report.rows.filter((r) => r.reference.tfSlim !== undefined);
  const missing = report.rows.length - known.length;
  const header = `${report.provider}, ${report.threads} thread(s), grid '${report.grid}'`;
  const accuracy = svgScatterPlot({
    title: `MobileNetV1: latency vs ImageNet top-1 (${header})`,
    xLabel: 'p50 latency (ms), batch 1',
    yLabel: 'ImageNet top-1 (%)',
    points: known.map((r) => ({
      x: r.latency.p50,
      y: r.reference.tfSlim?.top1 ?? Number.NaN,
      label: modelName(r.alpha, r.resolution),
      series: series(r.alpha),
    })),
    note:
      `Top-1: ${TF_SLIM_SOURCE}.` +
      (missing > 0 ? ` ${missing} model(s) without a published top-1 left out.` : ''),
  });
  const fit = report.latencyFit;
  const multAdds = svgScatterPlot({
    title: `MobileNetV1: latency vs mult-adds (${header})`,
    xLabel: 'mult-adds (millions)',
    yLabel: 'p50 latency (ms), batch 1',
    points: report.rows.map((r) => ({
      x: r.multAdds / 1e6,
      y: r.latency.p50,
      label: modelName(r.alpha, r.resolution),
      series: series(r.alpha),
    })),
    line: { slope: fit.slope, intercept: fit.intercept, label: `fit, r = ${fit.r.toFixed(3)}` },
    note: 'Mult-adds from the cost model (src/mobilenet/mobilenetCost.ts); latency measured with ONNX Runtime.',
  });
  return { 'latency-vs-accuracy.svg': accuracy, 'latency-vs-mult-adds.svg': multAdds };
}
