import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../config/detectorConfig.js';
import type { CompressedImage } from '../messages/types.js';
import { DetectorNode } from '../ros/detectorNode.js';
import { FakeNode, givenParameters, realRclClasses } from '../ros/testing/fakeRclnodejs.js';
import { writeSampleRecording } from '../sample/sampleRecording.js';
import { readBagJpegs } from './bagJpegs.js';
import { summarizeLatencies, type LatencySummary } from './latencyStats.js';
import { fpsOf, overallFps, replayRate, type Rate } from './replayRate.js';

/** Options of {@link runRosNodeBench}. */
export interface RosNodeBenchOptions {
  config: AppConfig;
  /** Frames of the throughput comparison, over all rounds. Default 400. */
  frames?: number;
  /**
   * Rounds: the throughput comparison alternates replay and node this many times, and the
   * overload run stops this many times to time single frames on the same node. Default 8.
   */
  rounds?: number;
  /** Frames delivered in the overload run (4 cameras x 30 fps). Default 600; the issue's memory check uses 5000. */
  overloadFrames?: number;
  log?: (line: string) => void;
}

export interface RosNodeBenchResult {
  readonly threads: number;
  readonly replayFps: number;
  readonly nodeFps: number;
  /** nodeFps / replayFps. */
  readonly ratio: number;
  /** nodeFps / replayFps of each round. */
  readonly roundRatios: readonly number[];
  /**
   * Receive-to-publish latency of a frame processed alone, ms: frames sent one at a time to the
   * overload run's node whenever it stops (a fifth camera), so that both are timed alike.
   */
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
 * as fast as the node takes them; (2) overload, 4 cameras at 30 fps each: latency, drops in
 * diagnostics, fairness, RSS; (3) a frame alone (the single-frame time), timed on the overload
 * node whenever it stops.
 *
 * This machine's speed drifts (a shared VM swings by 30% within a minute), so what is compared
 * is measured interleaved: replay and node alternate in rounds, and the overload run stops
 * between its blocks to time single frames.
 */
export async function runRosNodeBench(options: RosNodeBenchOptions): Promise<RosNodeBenchResult> {
  const frames = options.frames ?? 400;
  const rounds = options.rounds ?? 8;
  const overloadFrames = options.overloadFrames ?? 600;
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > frames || rounds > overloadFrames)
    throw new RangeError(
      `'rounds' must be an integer in [1, min(frames, overloadFrames)], got ${rounds}`,
    );
  const perRound = Math.ceil(frames / rounds);
  const warmup = 10;
  const log = options.log ?? (() => undefined);
  const { config } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilenet-ros-rosbench-'));
  try {
    const bag = path.join(dir, 'frames.mcap');
    await writeSampleRecording({
      output: bag,
      seconds: (perRound + warmup) / 10,
      fps: 10,
      rawCamera: false,
    });
    const jpegs = await readBagJpegs(bag, perRound + warmup);
    const rcl = await realRclClasses();

    log(
      `${rounds} round(s), each: replay of ${perRound} JPEG 640x480 frames, then the node (test double) ` +
        `on the same frames, delivered as fast as it publishes; ${warmup} warm-up frames before each`,
    );
    const replay: Rate[] = [];
    const node: Rate[] = [];
    for (let round = 0; round < rounds; round++) {
      replay.push(await replayRate({ config, bag, dir, warmup, frames: perRound }));
      node.push(await nodeRate(config, rcl, jpegs, warmup, perRound));
    }
    const replayFps = overallFps(replay);
    const nodeFps = overallFps(node);

    log(
      `overload: 4 cameras x 30 fps, ${overloadFrames} frames delivered in ${rounds} block(s); ` +
        `after each, single frames one at a time on the same node`,
    );
    const { overload, singleFrame } = await overloadRun(config, rcl, jpegs, overloadFrames, rounds);
    return {
      threads: config.inference.threads,
      replayFps,
      nodeFps,
      ratio: nodeFps / replayFps,
      roundRatios: node.map((n, i) => fpsOf(n) / fpsOf(replay[i]!)),
      singleFrame,
      overload,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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
    ['inference.spin_wait', config.inference.spinWait],
    ['models_dir', config.modelsDir],
    ['outputs.overlay', false],
    ['faces.enabled', config.faces.enabled],
  ]);
  for (const c of cameras) {
    overrides.set(`cameras.${c}.topic`, `/${c}/image_raw`);
    overrides.set(`cameras.${c}.transport`, 'compressed');
  }
  const fake = new FakeNode(rcl, 'mobilenet_ros', '/');
  fake.retainPublished = false;
  const node = DetectorNode.create({
    node: fake,
    rcl,
    overrides: givenParameters(overrides),
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
): Promise<Rate> {
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
  // From the last warm-up frame's publication to the last timed one's: `frames` intervals.
  return { frames, seconds: Number(end - start) / 1e9 };
}

/** The fifth camera of the overload node: single frames, sent only while the others are quiet. */
const PROBE = 'probe';
/** Single frames after each overload block; the first of each is not timed (cold start). */
const PROBES_PER_BLOCK = 10;

/**
 * 4 cameras at 30 fps, phases spread over the frame period, `total` frames in `blocks` blocks.
 * After each block the node drains, then gets single frames one at a time on a fifth camera:
 * the single-frame time, measured on the same node, between the blocks it is compared with.
 */
async function overloadRun(
  config: AppConfig,
  rcl: Awaited<ReturnType<typeof realRclClasses>>,
  jpegs: readonly CompressedImage[],
  total: number,
  blocks: number,
): Promise<{ overload: RosNodeBenchResult['overload']; singleFrame: LatencySummary }> {
  const latencies: number[] = [];
  const single: number[] = [];
  const perCamera = new Map<string, number>(CAMERAS.map((c) => [c, 0]));
  let onProbe: (ms: number) => void = () => undefined;
  let tick: () => void = () => undefined;
  const bench = await startNode(
    config,
    rcl,
    [...CAMERAS, PROBE],
    (camera, ms) => {
      if (camera === PROBE) return onProbe(ms);
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
  const diagnosticsTimer = setInterval(() => tick(), 1000);
  let delivered = 0;
  let rssStart = 0;
  let seconds = 0;
  const deliverUntil = (until: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const intervals: NodeJS.Timeout[] = [];
      const timers = CAMERAS.map((camera, k) =>
        setTimeout(
          () => {
            intervals.push(
              setInterval(() => {
                if (delivered >= until) {
                  for (const t of [...timers, ...intervals]) clearTimeout(t);
                  resolve();
                  return;
                }
                bench.fake.deliver(topicOf(camera), jpegs[delivered % jpegs.length]);
                delivered++;
                if (delivered === Math.round(total * 0.2)) rssStart = process.memoryUsage().rss;
              }, 1000 / 30),
            );
          },
          (k * 1000) / 30 / CAMERAS.length,
        ),
      );
    });
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  try {
    for (let block = 0; block < blocks; block++) {
      const started = performance.now();
      await deliverUntil(Math.round((total * (block + 1)) / blocks));
      seconds += (performance.now() - started) / 1000;
      await sleep(300); // the frames in flight are published
      for (let i = 0; i < PROBES_PER_BLOCK; i++) {
        const ms = await new Promise<number>((resolve) => {
          onProbe = resolve;
          bench.fake.deliver(topicOf(PROBE), jpegs[i % jpegs.length]);
        });
        if (i > 0) single.push(ms);
      }
    }
    tick();
  } finally {
    clearInterval(diagnosticsTimer);
    await bench.node.shutdown();
  }
  const rssEnd = process.memoryUsage().rss;
  let dropped = 0;
  for (const p of diagnostics.published) {
    const array = p.message as {
      status: { values: { key: string; value: string }[] }[];
    };
    for (const s of array.status)
      dropped += Number(s.values.find((v) => v.key === 'dropped_frames')?.value ?? 0);
  }
  const counts = CAMERAS.map((c) => perCamera.get(c) ?? 0);
  return {
    singleFrame: summarizeLatencies(single),
    overload: {
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
    },
  };
}

/** The report, with the issue's targets. */
export function formatRosNodeBench(r: RosNodeBenchResult): string {
  const o = r.overload;
  const bound = 3 * r.singleFrame.p50;
  const pass = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
  return [
    `ROS node (rclnodejs test double), ${r.threads} intra-op thread(s), ${os.cpus()[0]?.model ?? 'cpu'} x ${os.availableParallelism()}`,
    `throughput on the same 640x480 JPEG frames: replay ${r.replayFps.toFixed(1)} fps, node ${r.nodeFps.toFixed(1)} fps = ${(r.ratio * 100).toFixed(1)}% (target >= 90%: ${pass(r.ratio >= 0.9)}); by round: ${r.roundRatios.map((x) => `${(x * 100).toFixed(0)}%`).join(', ')}`,
    `single frame, receive -> publish (between the overload blocks): p50 ${r.singleFrame.p50.toFixed(1)} ms, p95 ${r.singleFrame.p95.toFixed(1)} ms`,
    `overload, 4 cameras x 30 fps: ${o.delivered} frames delivered in ${o.seconds.toFixed(1)} s, ${o.published} published (${(o.published / o.seconds).toFixed(1)} fps)`,
    `  latency receive -> publish: p50 ${o.latency.p50.toFixed(1)} ms, p95 ${o.latency.p95.toFixed(1)} ms, max ${o.latency.max.toFixed(1)} ms (target p95 <= 3 x ${r.singleFrame.p50.toFixed(1)} = ${bound.toFixed(1)} ms: ${pass(o.latency.p95 <= bound)})`,
    `  drops reported in /diagnostics: ${o.droppedInDiagnostics} (delivered - published = ${o.delivered - o.published}: ${pass(o.droppedInDiagnostics === o.delivered - o.published)})`,
    `  published per camera: ${o.publishedPerCamera.join(', ')} (fairness min/max ${o.fairness.toFixed(2)}: ${pass(o.fairness >= 0.9)})`,
    `  RSS ${o.rssStartMiB.toFixed(1)} MiB (at 20%) -> ${o.rssEndMiB.toFixed(1)} MiB: ${(o.rssGrowth * 100).toFixed(1)}% (target < 5%: ${pass(o.rssGrowth < 0.05)})`,
  ].join('\n');
}
