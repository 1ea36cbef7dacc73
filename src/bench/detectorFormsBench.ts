import {
  DETECTOR_FILE_FORMS,
  type AppConfig,
  type DetectorFileForm,
} from '../config/detectorConfig.js';
import { providerChainFor } from '../config/providerConfig.js';
import { SsdDetector } from '../detection/ssdDetector.js';
import { loadManifest, modelEntry } from '../models/manifest.js';
import { summarizeLatencies, type LatencySummary } from '../stats/latencyStats.js';

/** Options of {@link runDetectorFormsBench}. */
export interface DetectorFormsBenchOptions {
  /** Threads, spin setting, providers and models folder; the detector's form is ignored. */
  config: AppConfig;
  /** Runs timed per form, over all rounds. Default 400. */
  frames?: number;
  /** Rounds: each times every form's bare loop in turn on frames/rounds runs. Default 8. */
  rounds?: number;
  /** Untimed runs of each form before the rounds. Default 10. */
  warmup?: number;
}

export interface DetectorFormLine {
  readonly form: DetectorFileForm;
  readonly framesPerSecond: number;
  readonly latency: LatencySummary;
  /** Frames per second over the first form's (qdq), over all rounds. */
  readonly ratio: number;
  /** The same ratio by round: its spread is the noise of the comparison. */
  readonly roundRatios: readonly number[];
}

export interface DetectorFormsBenchResult {
  readonly threads: number;
  readonly spinWait: boolean;
  readonly lines: readonly DetectorFormLine[];
  /** Forms of the manifest that could not be loaded, with why. */
  readonly skipped: readonly { form: DetectorFileForm; reason: string }[];
}

/**
 * The bare `detector.infer` loop of every prepared detector form (qdq, qdq_s8, float) with the
 * same threads and spin setting, alternating in rounds (qdq, qdq_s8, float, qdq, ...), so that
 * a drifting machine slows all alike. This is what `detector.model_form: auto` decides on
 * (briefly); this run is longer, and shows the float form too.
 */
export async function runDetectorFormsBench(
  options: DetectorFormsBenchOptions,
): Promise<DetectorFormsBenchResult> {
  const frames = options.frames ?? 400;
  const rounds = options.rounds ?? 8;
  const warmup = options.warmup ?? 10;
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > frames)
    throw new RangeError(`'rounds' must be an integer in [1, frames], got ${rounds}`);
  if (!Number.isInteger(warmup) || warmup < 0)
    throw new RangeError(`'warmup' must be an integer >= 0, got ${warmup}`);
  const { config } = options;
  const perRound = Math.ceil(frames / rounds);
  const entry = modelEntry(loadManifest(config.modelsDir), 'coco_detector');
  const detectors: { form: DetectorFileForm; detector: SsdDetector }[] = [];
  const skipped: { form: DetectorFileForm; reason: string }[] = [];
  try {
    for (const form of DETECTOR_FILE_FORMS) {
      if (entry.outputs[form] === undefined) {
        skipped.push({ form, reason: 'not in the manifest' });
        continue;
      }
      try {
        const detector = await SsdDetector.create({
          modelsDir: config.modelsDir,
          form,
          session: {
            intraOpThreads: config.inference.threads,
            spinWait: config.inference.spinWait,
            providers: providerChainFor(config.inference.providers, 'coco_detector'),
          },
        });
        detectors.push({ form, detector });
      } catch (error) {
        skipped.push({ form, reason: (error as Error).message });
      }
    }
    const first = detectors[0]?.detector;
    if (first === undefined)
      throw new Error(
        `no detector form loads: ${skipped.map((s) => `${s.form}: ${s.reason}`).join('; ')}`,
      );
    const input = new Uint8Array(first.width * first.height * 3);
    for (let i = 0; i < input.length; i++) input[i] = (i * 31) & 0xff;
    for (const { detector } of detectors)
      for (let i = 0; i < warmup; i++) await detector.infer(input);
    const latencies = detectors.map(() => [] as number[]);
    const seconds = detectors.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++) {
      for (const [k, { detector }] of detectors.entries()) {
        const start = performance.now();
        for (let i = 0; i < perRound; i++) {
          const t = performance.now();
          await detector.infer(input);
          latencies[k]?.push(performance.now() - t);
        }
        seconds[k]?.push((performance.now() - start) / 1000);
      }
    }
    const fps = (k: number, round?: number): number => {
      const s =
        round === undefined
          ? (seconds[k] ?? []).reduce((a, b) => a + b, 0)
          : (seconds[k]?.[round] ?? NaN);
      return (round === undefined ? (latencies[k]?.length ?? 0) : perRound) / Math.max(s, 1e-9);
    };
    return {
      threads: config.inference.threads,
      spinWait: config.inference.spinWait,
      skipped,
      lines: detectors.map(({ form }, k) => ({
        form,
        framesPerSecond: fps(k),
        latency: summarizeLatencies(latencies[k] ?? []),
        ratio: fps(k) / fps(0),
        roundRatios: Array.from({ length: rounds }, (_, r) => fps(k, r) / fps(0, r)),
      })),
    };
  } finally {
    for (const { detector } of detectors) await detector.close();
  }
}

/** One line per form: fps, p50/p95, and its speed over the first form's, overall and by round. */
export function formatDetectorFormsBench(result: DetectorFormsBenchResult): string {
  const reference = result.lines[0]?.form ?? 'qdq';
  return [
    `detector forms, bare loop alternating in rounds (${result.threads} thread(s), spin_wait ${result.spinWait}):`,
    `${'form'.padEnd(8)} ${'fps'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}  speed vs ${reference} (by round)`,
    ...result.lines.map(
      (l) =>
        `${l.form.padEnd(8)} ${l.framesPerSecond.toFixed(1).padStart(8)} ${l.latency.p50.toFixed(2).padStart(8)} ${l.latency.p95.toFixed(2).padStart(8)}  ` +
        `${l.ratio.toFixed(2)}x (${l.roundRatios.map((r) => r.toFixed(2)).join(', ')})`,
    ),
    ...result.skipped.map((s) => `${s.form.padEnd(8)} skipped: ${s.reason}`),
  ].join('\n');
}
