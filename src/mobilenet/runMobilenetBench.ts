import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { CPU, type ExecutionProvider } from '../inference/executionProvider.js';
import { ModelSession } from '../inference/modelSession.js';
import type { BenchGrid } from './benchGrid.js';
import { buildMobilenetOnnx } from './buildMobilenetOnnx.js';
import { summarizeLatencies, type LatencySummary } from '../stats/latencyStats.js';
import { linearFit, type LinearFit } from './linearFit.js';
import { mobilenetCost } from './mobilenetCost.js';
import { mobilenetV1, type ConvolutionStyle } from './mobilenetV1.js';
import { referenceModel, type ReferenceModel } from './referenceData.js';
import { SeededRandom } from './seededRandom.js';

/** Options for {@link runMobilenetBench}. */
export interface MobilenetBenchOptions {
  readonly grid: BenchGrid;
  /** ONNX Runtime intra-op threads. Default: os.availableParallelism(). */
  readonly threads?: number;
  /** Timed runs per model. Default: the grid's. */
  readonly runs?: number;
  /** Untimed runs per model before timing. Default: the grid's. */
  readonly warmupRuns?: number;
  /** Default CPU. */
  readonly provider?: ExecutionProvider;
  /** Called with one line per model as it finishes, for progress output. */
  readonly onProgress?: (line: string) => void;
}

/** One timed model. */
export interface BenchRow {
  readonly alpha: number;
  readonly resolution: number;
  readonly convolution: ConvolutionStyle;
  /** From the cost model. */
  readonly multAdds: number;
  /** From the cost model (the paper's convention: no biases). */
  readonly parameters: number;
  readonly latency: LatencySummary;
  readonly reference: ReferenceModel;
}

/** Standard against separable convolutions at one configuration. */
export interface ConvolutionComparison {
  readonly alpha: number;
  readonly resolution: number;
  readonly separable: BenchRow;
  readonly standard: BenchRow;
  /** Standard mult-adds / separable mult-adds: the speed-up the cost model predicts. */
  readonly theoreticalRatio: number;
  /** Standard p50 latency / separable p50 latency: the speed-up measured. */
  readonly measuredRatio: number;
}

/** What {@link runMobilenetBench} measured. Plain data. */
export interface MobilenetBenchReport {
  readonly grid: BenchGrid['name'];
  readonly threads: number;
  readonly runs: number;
  readonly warmupRuns: number;
  readonly provider: ExecutionProvider['kind'];
  /** The grid's separable models, alpha-major in the grid's order. */
  readonly rows: readonly BenchRow[];
  readonly comparison: ConvolutionComparison;
  /** p50 latency (ms) against mult-adds (millions) over the rows: how well mult-adds predict time. */
  readonly latencyFit: LinearFit;
}

/**
 * Builds each model of the grid (untrained, seeded weights), loads it into ONNX Runtime and
 * times `runs` single-image inferences after `warmupRuns` untimed ones. Each session is closed
 * before the next is opened. Also times the grid's comparison configuration with standard
 * convolutions.
 */
export async function runMobilenetBench(
  options: MobilenetBenchOptions,
): Promise<MobilenetBenchReport> {
  const { grid } = options;
  const threads = options.threads ?? os.availableParallelism();
  const runs = options.runs ?? grid.runs;
  const warmupRuns = options.warmupRuns ?? grid.warmupRuns;
  if (!Number.isSafeInteger(runs) || runs < 1 || runs > 100000) {
    throw new RangeError(`'runs' must be an integer in [1, 100000], got ${runs}`);
  }
  if (!Number.isSafeInteger(warmupRuns) || warmupRuns < 0 || warmupRuns > 1000) {
    throw new RangeError(`'warmupRuns' must be an integer in [0, 1000], got ${warmupRuns}`);
  }
  const provider = options.provider ?? CPU;
  const measure = async (
    alpha: number,
    resolution: number,
    convolution: ConvolutionStyle,
  ): Promise<BenchRow> => {
    const row = await timeModel({
      alpha,
      resolution,
      convolution,
      threads,
      runs,
      warmupRuns,
      provider,
    });
    options.onProgress?.(
      `${modelName(alpha, resolution)} ${convolution}: p50 ${row.latency.p50.toFixed(2)} ms, p95 ${row.latency.p95.toFixed(2)} ms`,
    );
    return row;
  };

  const rows: BenchRow[] = [];
  for (const alpha of grid.alphas) {
    for (const resolution of grid.resolutions)
      rows.push(await measure(alpha, resolution, 'separable'));
  }
  const { alpha, resolution } = grid.comparison;
  const separable =
    rows.find((r) => r.alpha === alpha && r.resolution === resolution) ??
    (await measure(alpha, resolution, 'separable'));
  const standard = await measure(alpha, resolution, 'standard');
  return {
    grid: grid.name,
    threads,
    runs,
    warmupRuns,
    provider: provider.kind,
    rows,
    comparison: {
      alpha,
      resolution,
      separable,
      standard,
      theoreticalRatio: standard.multAdds / separable.multAdds,
      measuredRatio: standard.latency.p50 / separable.latency.p50,
    },
    latencyFit: linearFit(
      rows.map((r) => r.multAdds / 1e6),
      rows.map((r) => r.latency.p50),
    ),
  };
}

/** "1.0-224", "0.75-160": the paper's way of naming a model. */
export function modelName(alpha: number, resolution: number): string {
  return `${Number.isInteger(alpha) ? alpha.toFixed(1) : String(alpha)}-${resolution}`;
}

async function timeModel(spec: {
  alpha: number;
  resolution: number;
  convolution: ConvolutionStyle;
  threads: number;
  runs: number;
  warmupRuns: number;
  provider: ExecutionProvider;
}): Promise<BenchRow> {
  const architecture = mobilenetV1({
    alpha: spec.alpha,
    resolution: spec.resolution,
    convolution: spec.convolution,
  });
  const cost = mobilenetCost(architecture);
  const model = buildMobilenetOnnx(architecture);
  const session = await ModelSession.fromBytes(model.bytes, {
    intraOpThreads: spec.threads,
    provider: spec.provider,
    label: `MobileNetV1 ${modelName(spec.alpha, spec.resolution)} ${spec.convolution}`,
  });
  try {
    const count = model.inputShape.reduce((a, b) => a * b, 1);
    const feeds = {
      [model.inputName]: {
        type: 'float32' as const,
        data: new SeededRandom(spec.resolution).uniforms(count, -1, 1),
        dims: model.inputShape,
      },
    };
    for (let i = 0; i < spec.warmupRuns; i++) await session.run(feeds);
    const samples: number[] = [];
    for (let i = 0; i < spec.runs; i++) {
      const start = performance.now();
      await session.run(feeds);
      samples.push(performance.now() - start);
    }
    return {
      alpha: spec.alpha,
      resolution: spec.resolution,
      convolution: spec.convolution,
      multAdds: cost.totals.multAdds,
      parameters: cost.totals.parameters,
      latency: summarizeLatencies(samples),
      reference: referenceModel(spec.alpha, spec.resolution),
    };
  } finally {
    await session.close();
  }
}
