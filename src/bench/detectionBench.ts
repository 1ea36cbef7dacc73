import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runReplay } from '../cli/replay.js';
import type { AppConfig } from '../config/detectorConfig.js';
import { DetectionPipeline } from '../pipeline/detectionPipeline.js';
import { writeSampleRecording } from '../sample/sampleRecording.js';
import { summarizeLatencies, type LatencySummary } from './latencyStats.js';

/** Options of {@link runDetectionBench}. */
export interface DetectionBenchOptions {
  config: AppConfig;
  /** Frames timed in each measurement. Default 200. */
  frames?: number;
  /** Untimed frames first. Default 10. */
  warmup?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface BenchLine {
  readonly name: string;
  readonly frames: number;
  readonly framesPerSecond: number;
  readonly latency: LatencySummary;
}

export interface DetectionBenchResult {
  readonly threads: number;
  readonly form: string;
  readonly bare: BenchLine;
  readonly full: BenchLine;
  /** full / bare frames per second. */
  readonly ratio: number;
}

/**
 * Measures, in one run with the same thread settings: (1) the limit, a bare `session.run` loop
 * on one preprocessed 300x300 input; (2) the full replay path on 640x480 JPEG frames from a
 * bag: read, deserialise, decode, preprocess, inference, post-process, serialise, write.
 */
export async function runDetectionBench(
  options: DetectionBenchOptions,
): Promise<DetectionBenchResult> {
  const frames = options.frames ?? 200;
  const warmup = options.warmup ?? 10;
  const log = options.log ?? (() => undefined);
  const { config } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilenet-ros-bench-'));
  try {
    log(
      `bare loop: ${frames} x session.run on a 300x300 input, ${config.inference.threads} thread(s), ${config.detector.modelForm} model`,
    );
    const bare = await bareLoop(config, frames, warmup);

    // A bag with JPEG frames only: the compressed camera of the sample recording.
    const bag = path.join(dir, 'frames.mcap');
    const perCamera = Math.ceil((frames + warmup) / 1);
    await writeSampleRecording({ output: bag, seconds: perCamera / 10, fps: 10 });
    log(`full path: replay of ${frames} 640x480 JPEG frames (+${warmup} warm-up) into an MCAP bag`);
    const latencies: number[] = [];
    let firstTimed: bigint | undefined;
    let lastDone = 0n;
    await runReplay({
      bag,
      output: path.join(dir, 'out.mcap'),
      config,
      topics: ['/rear_camera/image_raw/compressed'],
      onWritten: (result, latencyMs) => {
        const index = result.frame.sequence;
        if (index === warmup) firstTimed = result.frame.receivedAt;
        if (index >= warmup && index < warmup + frames) {
          latencies.push(latencyMs);
          lastDone = process.hrtime.bigint();
        }
      },
    });
    const seconds = Number(lastDone - (firstTimed ?? lastDone)) / 1e9;
    const full: BenchLine = {
      name: 'full replay path (JPEG 640x480 -> MCAP)',
      frames: latencies.length,
      framesPerSecond: latencies.length / Math.max(seconds, 1e-9),
      latency: summarizeLatencies(latencies),
    };
    return {
      threads: config.inference.threads,
      form: config.detector.modelForm,
      bare,
      full,
      ratio: full.framesPerSecond / bare.framesPerSecond,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function bareLoop(config: AppConfig, frames: number, warmup: number): Promise<BenchLine> {
  // The same sessions as the full path: detector (and providers) from the same config.
  const pipeline = await DetectionPipeline.create(config);
  const detector = pipeline.detector;
  try {
    const input = new Uint8Array(detector.width * detector.height * 3);
    for (let i = 0; i < input.length; i++) input[i] = (i * 31) & 0xff;
    for (let i = 0; i < warmup; i++) await detector.infer(input);
    const samples: number[] = [];
    const start = performance.now();
    for (let i = 0; i < frames; i++) {
      const t = performance.now();
      await detector.infer(input);
      samples.push(performance.now() - t);
    }
    const seconds = (performance.now() - start) / 1000;
    return {
      name: 'bare session.run loop (the limit)',
      frames,
      framesPerSecond: frames / seconds,
      latency: summarizeLatencies(samples),
    };
  } finally {
    await pipeline.close();
  }
}

/** The benchmark's report, one line per measurement. */
export function formatDetectionBench(result: DetectionBenchResult): string {
  const row = (b: BenchLine): string =>
    `${b.name.padEnd(42)} ${String(b.frames).padStart(6)} ${b.framesPerSecond.toFixed(1).padStart(8)} ${b.latency.p50.toFixed(2).padStart(8)} ${b.latency.p95.toFixed(2).padStart(8)}`;
  return [
    `detector: ${result.form} model, ${result.threads} intra-op thread(s), ${os.cpus()[0]?.model ?? 'cpu'} x ${os.availableParallelism()}`,
    `${'measurement'.padEnd(42)} ${'frames'.padStart(6)} ${'fps'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`,
    row(result.bare),
    row(result.full),
    `full path / bare loop: ${(result.ratio * 100).toFixed(1)}% of the bare loop's frames/s (target >= 80%)`,
  ].join('\n');
}
