import { Command } from 'commander';
import { benchGrid, BENCH_GRID_NAMES, parseBenchGridName } from '../mobilenet/benchGrid.js';
import { costReportJson } from '../mobilenet/costReportJson.js';
import { formatBenchReport } from '../mobilenet/formatBenchReport.js';
import { formatCostReport } from '../mobilenet/formatCostReport.js';
import { mobilenetCost } from '../mobilenet/mobilenetCost.js';
import { mobilenetV1 } from '../mobilenet/mobilenetV1.js';
import { runMobilenetBench } from '../mobilenet/runMobilenetBench.js';
import { writeBenchOutputs } from '../mobilenet/writeBenchOutputs.js';

/** Where the command writes. Default: the process's stdout and stderr. */
export interface MobilenetCommandOptions {
  /** Results: tables and JSON. */
  readonly stdout?: { write(text: string): unknown };
  /** Progress lines. */
  readonly stderr?: { write(text: string): unknown };
}

interface CostFlags {
  alpha: string;
  resolution: string;
  standard: boolean;
  json: boolean;
}

interface BenchFlags {
  grid: string;
  out: string;
  threads?: string;
  runs?: string;
}

/**
 * `mobilenet-ros mobilenet`: the MobileNetV1 cost model (`cost`) and a latency benchmark of the
 * paper's model family (`bench`). Bad values are RangeErrors that name the option and its range.
 */
export function mobilenetCommand(options: MobilenetCommandOptions = {}): Command {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const command = new Command('mobilenet').description(
    'MobileNetV1 (Howard et al. 2017): per-layer cost model and a latency benchmark of the model family',
  );

  command
    .command('cost')
    .description(
      'print the per-layer mult-adds and parameters of a MobileNetV1, the totals and the shares per layer type',
    )
    .option('--alpha <alpha>', 'width multiplier, in (0, 1]', '1')
    .option('--resolution <pixels>', 'input side in pixels: a multiple of 32, at least 32', '224')
    .option(
      '--standard',
      "standard 3x3 convolutions instead of depthwise separable ones (the paper's Table 4)",
      false,
    )
    .option('--json', 'print JSON instead of tables', false)
    .action((flags: CostFlags) => {
      const architecture = mobilenetV1({
        alpha: parseNumber('alpha', flags.alpha, '(0, 1]'),
        resolution: parseNumber('resolution', flags.resolution, 'multiples of 32 from 32'),
        convolution: flags.standard ? 'standard' : 'separable',
      });
      const report = mobilenetCost(architecture);
      stdout.write(
        flags.json
          ? `${JSON.stringify(costReportJson(report), null, 2)}\n`
          : formatCostReport(report),
      );
    });

  command
    .command('bench')
    .description(
      'build and time MobileNetV1 models on this machine (ONNX Runtime, CPU); print mult-adds, parameters, ' +
        'latency p50/p95 and published ImageNet top-1, and write SVG plots',
    )
    .option(
      '--grid <name>',
      `${BENCH_GRID_NAMES.join(' | ')}: the paper's 16 models, or 4 small ones for CI`,
      'paper',
    )
    .option('--out <dir>', 'folder for bench.txt, bench.json and the SVG plots', 'mobilenet-bench')
    .option('--threads <n>', 'ONNX Runtime intra-op threads, in [1, 256] (default: all cores)')
    .option(
      '--runs <n>',
      "timed runs per model, in [1, 100000] (default: the grid's, 30 for paper, 20 for quick)",
    )
    .action(async (flags: BenchFlags) => {
      const grid = benchGrid(parseBenchGridName(flags.grid));
      const report = await runMobilenetBench({
        grid,
        ...(flags.threads === undefined
          ? {}
          : { threads: parseInteger('threads', flags.threads, 1, 256) }),
        ...(flags.runs === undefined ? {} : { runs: parseInteger('runs', flags.runs, 1, 100000) }),
        onProgress: (line) => stderr.write(`${line}\n`),
      });
      const written = await writeBenchOutputs(report, flags.out);
      stdout.write(formatBenchReport(report));
      stdout.write(`\nwrote ${written.join(', ')}\n`);
    });

  return command;
}

function parseNumber(name: string, text: string, range: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new RangeError(`'${name}' must be a number in ${range}, got '${text}'`);
  }
  return value;
}

function parseInteger(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`'${name}' must be an integer in [${min}, ${max}], got '${text}'`);
  }
  return value;
}
