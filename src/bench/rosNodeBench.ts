import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { firstValueFrom, take, tap, toArray } from 'rxjs';
import { openBag } from '../bag/openBag.js';
import { runReplay } from '../cli/replay.js';
import type { AppConfig } from '../config/detectorConfig.js';
import type { CompressedImage } from '../messages/types.js';
import { DetectorNode } from '../ros/detectorNode.js';
import { FakeNode, realRclClasses } from '../ros/testing/fakeRclnodejs.js';
import { sampleTopics, writeSampleRecording } from '../sample/sampleRecording.js';
import { BagFrameSource } from '../sources/bagFrameSource.js';
import { summarizeLatencies, type LatencySummary } from './latencyStats.js';

/** Options of {@link runRosNodeBench}. */
export interface RosNodeBenchOptions {
  config: AppConfig;
  /** Frames of the throughput comparison. Default 200. */
  frames?: number;
  /** Frames delivered in the overload run (4 cameras x 30 fps). Default 600; the memory check uses 5000. */
  overloadFrames?: number;
  log?: (line: string) => void;
}

export interface RosNodeBenchResult {
  readonly threads: number;
  readonly replayFps: number;
  readonly nodeFps: number;
  /** nodeFps / replayFps. */
  readonly ratio: number;
  /** Receive-to-publish latency of a frame processed alone, ms. */
  readonly singleFrame: LatencySummary;
  readonly overload: {
    readonly delivered: number;
    readonly seconds: number;
    readonly published: number;
    readonly latency: LatencySummary;
    /** Drops summed from the published DiagnosticArray messages. */
    readonly droppedInDiagnostics: number;
    readonly publishedPerCamera: readonly number[];
    /** min/max of publishedPerCamera: 1 is perfectly fair. */
    readonly fairness: number;
    readonly rssStartMiB: number;
    readonly rssEndMiB: number;
    readonly rssGrowth: number;
  };
}

const CAMERAS = ['cam0', 'cam1', 'cam2', 'cam3'];

/**
 * The ROS node's performance without ROS, with the rclnodejs test double delivering frames:
 * (1) frames/s of the node against `replay` on the same 640x480 JPEG frames, frames delivered
 * as fast as the node takes them; (2) a frame alone (the single-frame time); (3) overload,
 * 4 cameras at 30 fps each: latency, drops in diagnostics, fairness, RSS.
 */
export async function runRosNodeBench(options: RosNodeBenchOptions): Promise<RosNodeBenchResult> {
  const frames = options.frames ?? 200;
  const overloadFrames = options.overloadFrames ?? 600;
  const warmup = 10;
  const log = options.log ?? (() => undefined);
  const { config } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilenet-ros-rosbench-'));
  try {
    const bag = path.join(dir, 'frames.mcap');
    await writeSampleRecording({ output: bag, seconds: (frames + warmup) / 10, fps: 10 });
    const jpegs = await readJpegs(bag, frames + warmup);

    log(`replay: ${frames} JPEG 640x480 frames (+${warmup} warm-up)`);
    const replayFps = await replayRate(config, bag, dir, warmup, frames);

    log(`node (test double): the same ${frames} frames, delivered as fast as the node publishes`);
    const rcl = await realRclClasses();
    const nodeFps = await nodeRate(config, rcl, jpegs, warmup, frames);

    log('node: single frames, one at a time');
    const singleFrame = await singleFrameLatency(config, rcl, jpegs.slice(0, 40));

    log(`node: overload, 4 cameras x 30 fps, ${overloadFrames} frames delivered`);
    const overload = await overloadRun(config, rcl, jpegs, overloadFrames);
    return {
      threads: config.inference.threads,
      replayFps,
      nodeFps,
      ratio: nodeFps / replayFps,
      singleFrame,
      overload,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function readJpegs(bag: string, count: number): Promise<CompressedImage[]> {
  const reader = await openBag(bag);
  try {
    const source = new BagFrameSource(reader, { topics: [sampleTopics.compressed] });
    // The source reads ahead only as frames are done.
    const frames = await firstValueFrom(
      source.frames.pipe(
        tap(() => source.frameDone()),
        take(count),
        toArray(),
      ),
    );
    return frames.map((f) => {
      if (f.payload.kind !== 'compressed')
        throw new Error(`expected a CompressedImage on ${f.topic}`);
      return f.payload.image;
    });
  } finally {
    await reader.close();
  }
}

async function replayRate(
  config: AppConfig,
  bag: string,
  dir: string,
  warmup: number,
  frames: number,
): Promise<number> {
  let first: bigint | undefined;
  let last = 0n;
  let timed = 0;
  await runReplay({
    bag,
    output: path.join(dir, 'out.mcap'),
    config,
    topics: [sampleTopics.compressed],
    images: false,
    progress: undefined,
    onWritten: (result) => {
      const i = result.frame.sequence;
      if (i === warmup) first = result.frame.receivedAt;
      if (i >= warmup && i < warmup + frames) {
        timed++;
        last = process.hrtime.bigint();
      }
    },
  });
  return timed / (Number(last - (first ?? last)) / 1e9);
}

interface BenchNode {
  fake: FakeNode;
  node: DetectorNode;
}

async function startNode(
  config: AppConfig,
  rcl: Awaited<ReturnType<typeof realRclClasses>>,
  cameras: readonly string[],
  onPublished?: (camera: string, ms: number) => void,
  every?: (ms: number, tick: () => void) => () => void,
): Promise<BenchNode> {
  const overrides = new Map<string, unknown>([
    ['cameras.names', [...cameras]],
    ['detector.model_form', config.detector.modelForm],
    ['inference.threads', BigInt(config.inference.threads)],
    ['models_dir', config.modelsDir],
    ['outputs.overlay', false],
    ['faces.enabled', config.faces.enabled],
  ]);
  for (const c of cameras) {
    overrides.set(`cameras.${c}.topic`, `/${c}/image_raw`);
    overrides.set(`cameras.${c}.transport`, 'compressed');
  }
  const fake = new FakeNode(rcl, 'mobilenet_ros', '/', overrides);
  fake.retainPublished = false;
  const node = DetectorNode.create({
    node: fake,
    rcl,
    ...(onPublished ? { onPublished } : {}),
    ...(every ? { every } : { every: () => () => undefined }),
  });
  await node.configure();
  node.activate();
  return { fake, node };
}

function topicOf(camera: string): string {
  return `/${camera}/image_raw/compressed`;
}

async function nodeRate(
  config: AppConfig,
  rcl: Awaited<ReturnType<typeof realRclClasses>>,
  jpegs: readonly CompressedImage[],
  warmup: number,
  frames: number,
): Promise<number> {
  let published = 0;
  let delivered = 0;
  let start = 0n;
  let end = 0n;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const holder: { bench?: BenchNode } = {};
  const deliver = (): void => {
    if (holder.bench === undefined || delivered >= jpegs.length) return;
    holder.bench.fake.deliver(topicOf('cam0'), jpegs[delivered]);
    delivered++;
  };
  const bench = await startNode(config, rcl, ['cam0'], () => {
    published++;
    if (published === warmup) start = process.hrtime.bigint();
    if (published === warmup + frames) {
      end = process.hrtime.bigint();
      resolveDone();
    }
    // Closed loop: a new frame each time one is out, keeping the node's two slots busy.
    setImmediate(deliver);
  });
  holder.bench = bench;
  try {
    deliver();
    deliver();
    await done;
  } finally {
    await bench.node.shutdown();
  }
  return frames / (Number(end - start) / 1e9);
}

async function singleFrameLatency(
  config: AppConfig,
  rcl: Awaited<ReturnType<typeof realRclClasses>>,
  jpegs: readonly CompressedImage[],
): Promise<LatencySummary> {
  const samples: number[] = [];
  let next: (ms: number) => void = () => undefined;
  const bench = await startNode(config, rcl, ['cam0'], (_c, ms) => next(ms));
  try {
    for (const [i, jpeg] of jpegs.entries()) {
      const ms = await new Promise<number>((resolve) => {
        next = resolve;
        bench.fake.deliver(topicOf('cam0'), jpeg);
      });
      if (i >= 5) samples.push(ms);
    }
  } finally {
    await bench.node.shutdown();
  }
  return summarizeLatencies(samples);
}

async function overloadRun(
  config: AppConfig,
  rcl: Awaited<ReturnType<typeof realRclClasses>>,
  jpegs: readonly CompressedImage[],
  total: number,
): Promise<RosNodeBenchResult['overload']> {
  const latencies: number[] = [];
  const perCamera = new Map<string, number>(CAMERAS.map((c) => [c, 0]));
  let tick: () => void = () => undefined;
  const bench = await startNode(
    config,
    rcl,
    CAMERAS,
    (camera, ms) => {
      latencies.push(ms);
      perCamera.set(camera, (perCamera.get(camera) ?? 0) + 1);
    },
    (_ms, t) => {
      tick = t;
      return () => undefined;
    },
  );
  const diagnostics = bench.fake.publisher('/diagnostics');
  diagnostics.retain = true;
  let delivered = 0;
  let rssStart = 0;
  const started = performance.now();
  try {
    await new Promise<void>((resolve) => {
      // Each camera at 30 fps, phases spread over the frame period.
      const timers = CAMERAS.map((camera, k) =>
        setTimeout(
          () => {
            const interval = setInterval(() => {
              if (delivered >= total) {
                clearInterval(interval);
                if (timers.every(() => delivered >= total)) resolve();
                return;
              }
              bench.fake.deliver(topicOf(camera), jpegs[delivered % jpegs.length]);
              delivered++;
              if (delivered === Math.round(total * 0.2)) rssStart = process.memoryUsage().rss;
            }, 1000 / 30);
          },
          (k * 1000) / 30 / CAMERAS.length,
        ),
      );
      const diag = setInterval(() => {
        tick();
        if (delivered >= total) clearInterval(diag);
      }, 1000);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    tick();
  } finally {
    await bench.node.shutdown();
  }
  const seconds = (performance.now() - started) / 1000;
  const rssEnd = process.memoryUsage().rss;
  let dropped = 0;
  for (const p of diagnostics.published) {
    const array = p.message as { status: { values: { key: string; value: string }[] }[] };
    for (const s of array.status)
      dropped += Number(s.values.find((v) => v.key === 'dropped_frames')?.value ?? 0);
  }
  const counts = CAMERAS.map((c) => perCamera.get(c) ?? 0);
  return {
    delivered,
    seconds,
    published: latencies.length,
    latency: summarizeLatencies(latencies.length > 0 ? latencies : [0]),
    droppedInDiagnostics: dropped,
    publishedPerCamera: counts,
    fairness: Math.min(...counts) / Math.max(1, ...counts),
    rssStartMiB: rssStart / 2 ** 20,
    rssEndMiB: rssEnd / 2 ** 20,
    rssGrowth: rssStart > 0 ? rssEnd / rssStart - 1 : 0,
  };
}

/** The report, with the targets. */
export function formatRosNodeBench(r: RosNodeBenchResult): string {
  const o = r.overload;
  const bound = 3 * r.singleFrame.p50;
  const pass = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
  return [
    `ROS node (rclnodejs test double), ${r.threads} intra-op thread(s), ${os.cpus()[0]?.model ?? 'cpu'} x ${os.availableParallelism()}`,
    `throughput on the same 640x480 JPEG frames: replay ${r.replayFps.toFixed(1)} fps, node ${r.nodeFps.toFixed(1)} fps = ${(r.ratio * 100).toFixed(1)}% (target >= 90%: ${pass(r.ratio >= 0.9)})`,
    `single frame, receive -> publish: p50 ${r.singleFrame.p50.toFixed(1)} ms, p95 ${r.singleFrame.p95.toFixed(1)} ms`,
    `overload, 4 cameras x 30 fps: ${o.delivered} frames delivered in ${o.seconds.toFixed(1)} s, ${o.published} published (${(o.published / o.seconds).toFixed(1)} fps)`,
    `  latency receive -> publish: p50 ${o.latency.p50.toFixed(1)} ms, p95 ${o.latency.p95.toFixed(1)} ms, max ${o.latency.max.toFixed(1)} ms (target p95 <= 3 x ${r.singleFrame.p50.toFixed(1)} = ${bound.toFixed(1)} ms: ${pass(o.latency.p95 <= bound)})`,
    `  drops reported in /diagnostics: ${o.droppedInDiagnostics} (delivered - published = ${o.delivered - o.published}: ${pass(o.droppedInDiagnostics > 0)})`,
    `  published per camera: ${o.publishedPerCamera.join(', ')} (fairness min/max ${o.fairness.toFixed(2)}: ${pass(o.fairness >= 0.9)})`,
    `  RSS ${o.rssStartMiB.toFixed(1)} MiB (at 20%) -> ${o.rssEndMiB.toFixed(1)} MiB: ${(o.rssGrowth * 100).toFixed(1)}% (target < 5%: ${pass(o.rssGrowth < 0.05)})`,
  ].join('\n');
}
