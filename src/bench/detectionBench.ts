import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../config/detectorConfig.js';
import { DetectionPipeline } from '../pipeline/detectionPipeline.js';
import { writeJpegBag } from './bagJpegs.js';
import { sampleTopics } from '../sample/sampleRecording.js';
import { readThreadCpu, type CpuSplit, type ThreadCpu } from './threadCpu.js';
import { timedReplay, timedReplayFps, type TimedReplay as Block } from './timedReplay.js';
import { summarizeLatencies, type LatencySummary } from '../stats/latencyStats.js';

/** Options of {@link runDetectionBench}. */
export interface DetectionBenchOptions {
  config: AppConfig;
  /** Frames timed in each measurement, over all rounds. Default 400. */
  frames?: number;
  /** Rounds: each times the bare loop, then the full path, on frames/rounds frames. Default 8. */
  rounds?: number;
  /** Untimed frames before each timed block. Default 10. */
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
  /** inference.spin_wait of both measurements. */
  readonly spinWait: boolean;
  readonly form: string;
  readonly bare: BenchLine;
  readonly full: BenchLine;
  /** full / bare frames per second, over all rounds. */
  readonly ratio: number;
  /** full / bare frames per second of each round. */
  readonly roundRatios: readonly number[];
  /** Where the CPU went, per frame over all rounds; undefined where /proc is missing. */
  readonly cpu?: BenchCpu;
}

/** CPU time per frame, in ms, of the two measurements; the cores' time is cores x frame time. */
export interface BenchCpu {
  readonly cores: number;
  /** The bare loop: every thread of the process together. */
  readonly bare: { readonly frameMs: number; readonly busy: number };
  /** The full path by thread (see CpuSplit). */
  readonly full: { readonly frameMs: number } & CpuSplit;
}

/**
 * Measures, in one run with the same thread settings: (1) the limit, a bare `session.run` loop
 * on one preprocessed 300x300 input; (2) the full replay path on 640x480 JPEG frames from a
 * bag: read, deserialise, decode, preprocess, inference, post-process, serialise, write.
 *
 * The two alternate in rounds (bare, full, bare, full, ...), so that a machine whose speed
 * drifts (a shared VM: the bare loop alone swings by 30% between runs) slows both alike; the
 * ratio is taken over all rounds, and each round's is reported too. On Linux it also says where
 * each frame's CPU went, by thread (see threadCpu.ts): what the full path adds to the bare loop.
 */
export async function runDetectionBench(
  options: DetectionBenchOptions,
): Promise<DetectionBenchResult> {
  const frames = options.frames ?? 400;
  const rounds = options.rounds ?? 8;
  const warmup = options.warmup ?? 10;
  if (!Number.isInteger(warmup) || warmup < 1)
    throw new RangeError(`'warmup' must be an integer >= 1, got ${warmup}`);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > frames)
    throw new RangeError(`'rounds' must be an integer in [1, frames], got ${rounds}`);
  const perRound = Math.ceil(frames / rounds);
  const log = options.log ?? (() => undefined);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilenet-ros-bench-'));
  // The same sessions as the full path: detector (and providers) from the same config.
  const pipeline = await DetectionPipeline.create(options.config);
  // The full path's pipelines run the form this one runs: `auto` is decided (and logged) once.
  const config: AppConfig = {
    ...options.config,
    detector: { ...options.config.detector, modelForm: pipeline.detector.form },
  };
  try {
    // A bag with JPEG frames only: the compressed camera of the sample recording.
    const bag = path.join(dir, 'frames.mcap');
    await writeJpegBag(bag, perRound + warmup);
    log(
      `${rounds} round(s), each: ${perRound} x session.run on a 300x300 input (bare loop), then a replay of ` +
        `${perRound} 640x480 JPEG frames into an MCAP bag (full path), ${warmup} warm-up frames before each; ` +
        `${config.inference.threads} thread(s), spin_wait ${config.inference.spinWait}, ${pipeline.detector.form} model (detector.model_form ${options.config.detector.modelForm})`,
    );
    const bare: Block[] = [];
    const full: Block[] = [];
    for (let round = 0; round < rounds; round++) {
      bare.push(await bareLoop(pipeline, perRound, warmup));
      full.push(
        await timedReplay({
          config,
          bag,
          topic: sampleTopics.compressed,
          output: path.join(dir, 'out.mcap'),
          frames: perRound,
          warmup,
          cpu: true,
        }),
      );
    }
    const bareLine = line('bare session.run loop (the limit)', bare);
    const fullLine = line('full replay path (JPEG 640x480 -> MCAP)', full);
    return {
      threads: config.inference.threads,
      spinWait: config.inference.spinWait,
      form: pipeline.detector.form,
      bare: bareLine,
      full: fullLine,
      ratio: fullLine.framesPerSecond / bareLine.framesPerSecond,
      roundRatios: full.map((f, i) => fps(f) / fps(bare[i]!)),
      cpu: benchCpu(bare, full),
    };
  } finally {
    await pipeline.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const fps = (block: Block): number => timedReplayFps([block]);

/** A timed bare loop, with the CPU its process spent meanwhile (ms, all threads). */
type BareBlock = Block & { readonly busyMs?: number };

function benchCpu(bare: readonly BareBlock[], full: readonly Block[]): BenchCpu | undefined {
  const busy = bare.flatMap((b) => (b.busyMs === undefined ? [] : [b.busyMs]));
  const splits = full.flatMap((f) => (f.cpu === undefined ? [] : [f.cpu]));
  if (busy.length !== bare.length || splits.length !== full.length) return undefined;
  const frames = (blocks: readonly Block[]): number =>
    blocks.reduce((n, b) => n + b.latencies.length, 0);
  const perFullFrame = (key: keyof CpuSplit): number =>
    splits.reduce((a, c) => a + c[key], 0) / frames(full);
  return {
    cores: os.availableParallelism(),
    bare: {
      frameMs: 1000 / timedReplayFps(bare),
      busy: busy.reduce((a, v) => a + v, 0) / frames(bare),
    },
    full: {
      frameMs: 1000 / timedReplayFps(full),
      inference: perFullFrame('inference'),
      main: perFullFrame('main'),
      other: perFullFrame('other'),
    },
  };
}

/** Every thread's CPU time together, in ms. */
const processCpuMs = (cpu: ThreadCpu | undefined): number | undefined =>
  cpu === undefined ? undefined : [...cpu.values()].reduce((a, v) => a + v, 0);

function line(name: string, blocks: readonly Block[]): BenchLine {
  const latencies = blocks.flatMap((b) => b.latencies);
  return {
    name,
    frames: latencies.length,
    framesPerSecond: timedReplayFps(blocks),
    latency: summarizeLatencies(latencies),
  };
}

async function bareLoop(
  pipeline: DetectionPipeline,
  frames: number,
  warmup: number,
): Promise<BareBlock> {
  const detector = pipeline.detector;
  const input = new Uint8Array(detector.width * detector.height * 3);
  for (let i = 0; i < input.length; i++) input[i] = (i * 31) & 0xff;
  for (let i = 0; i < warmup; i++) await detector.infer(input);
  const latencies: number[] = [];
  const cpuStart = processCpuMs(readThreadCpu());
  const start = performance.now();
  for (let i = 0; i < frames; i++) {
    const t = performance.now();
    await detector.infer(input);
    latencies.push(performance.now() - t);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpuEnd = processCpuMs(readThreadCpu());
  const busyMs = cpuStart === undefined || cpuEnd === undefined ? undefined : cpuEnd - cpuStart;
  return { seconds, latencies, ...(busyMs === undefined ? {} : { busyMs }) };
}

/** The benchmark's report, one line per measurement. */
export function formatDetectionBench(result: DetectionBenchResult): string {
  const row = (b: BenchLine): string =>
    `${b.name.padEnd(42)} ${String(b.frames).padStart(6)} ${b.framesPerSecond.toFixed(1).padStart(8)} ${b.latency.p50.toFixed(2).padStart(8)} ${b.latency.p95.toFixed(2).padStart(8)}`;
  return [
    `detector: ${result.form} model, ${result.threads} intra-op thread(s), spin_wait ${result.spinWait}, ${os.cpus()[0]?.model ?? 'cpu'} x ${os.availableParallelism()}`,
    `${'measurement'.padEnd(42)} ${'frames'.padStart(6)} ${'fps'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`,
    row(result.bare),
    row(result.full),
    `full path / bare loop: ${(result.ratio * 100).toFixed(1)}% of the bare loop's frames/s (target >= 90%); ` +
      `by round: ${result.roundRatios.map((r) => `${(r * 100).toFixed(0)}%`).join(', ')}`,
    ...(result.cpu === undefined ? [] : formatBenchCpu(result.cpu)),
  ].join('\n');
}

/**
 * Where each frame's CPU went. The cores had `cores` x the frame time between them; what no
 * thread of the process used is idle (or taken by other processes).
 */
function formatBenchCpu(cpu: BenchCpu): string[] {
  const ms = (v: number): string => v.toFixed(2);
  const had = (frameMs: number): string =>
    `${cpu.cores} cores x ${ms(frameMs)} ms = ${ms(cpu.cores * frameMs)} ms`;
  const { bare, full } = cpu;
  const fullBusy = full.inference + full.main + full.other;
  return [
    `CPU per frame (ms), all rounds:`,
    `  bare loop: ${had(bare.frameMs)}: busy ${ms(bare.busy)}, idle ${ms(cpu.cores * bare.frameMs - bare.busy)}`,
    `  full path: ${had(full.frameMs)}: inference threads ${ms(full.inference)}, main thread ${ms(full.main)}, ` +
      `other threads (JPEG decoding and file I/O in libuv's pool, V8's GC) ${ms(full.other)}, ` +
      `idle ${ms(cpu.cores * full.frameMs - fullBusy)}`,
  ];
}
