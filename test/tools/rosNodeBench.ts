/**
 * The ROS node's benchmark on the rclnodejs test double: the node in this process, frames
 * delivered by the double, no ROS needed (it was `mobilenet-ros bench --ros --graph double`;
 * the product's `bench --ros` times the node on the real ROS 2 graph, and the product does not
 * ship test code). Numbers only, no assertions. Run after `npm run build`:
 *
 *   node dist/test/tools/rosNodeBench.js [--frames N] [--rounds N] [--overload-frames N]
 *     [--threads N] [--form auto|qdq|qdq_s8|float] [--config FILE] [--hostile-every N] [--real]
 *
 * The options and defaults are `bench --ros`'s. --hostile-every N: every N-th overload message is
 * hostile, the soak (e.g. --overload-frames 100000 --hostile-every 100). --real: then the same
 * on the real graph (`bench --ros`: needs ROS 2 sourced and a ROS_DOMAIN_ID of its own), and the
 * two side by side (it was `--graph both`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { detectorBenchConfig } from '../../src/bench/detectorBenchConfig.js';
import { InterruptedError } from '../../src/bench/processScope.js';
import { formatRealGraphBench, runRealGraphBench } from '../../src/bench/realGraphBench.js';
import { configFrom } from '../../src/cli/configOption.js';
import type { AppConfig } from '../../src/config/detectorConfig.js';
import type { CompressedImage } from '../../src/messages/types.js';
import { DetectorNode } from '../../src/ros/detectorNode.js';
import { FakeNode, givenParameters, realRclClasses } from '../support/fakeRclnodejs.js';
import { readBagJpegs, writeJpegBag } from '../../src/bench/bagJpegs.js';
import { formatGraphComparison } from './graphComparison.js';
import { hostileCompressedImages } from '../../src/bench/hostileFrames.js';
import { summarizeLatencies, type LatencySummary } from '../../src/stats/latencyStats.js';
import { fpsOf, overallFps, replayRate, type Rate } from '../../src/bench/replayRate.js';

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
  /**
   * In the overload run, every n-th message is a hostile one (a dimension bomb, a cut JPEG, bytes
   * that are no image, a depth format, no data; in turn) instead of a frame: the soak. 0: none.
   */
  hostileEvery?: number;
  log?: (line: string) => void;
}

/** The process's memory and handles after one overload block. */
export interface ResourceSample {
  /** Messages delivered so far. */
  readonly delivered: number;
  readonly rssMiB: number;
  /** Open file descriptors (/proc/self/fd). */
  readonly fds: number;
  /** Handles and requests keeping Node's event loop alive (process.getActiveResourcesInfo). */
  readonly activeResources: number;
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
    /** Hostile messages delivered, and failed frames summed from the DiagnosticArray messages. */
    readonly hostileDelivered: number;
    readonly errorsInDiagnostics: number;
    /** Failed frames by reason, from the last DiagnosticArray (errors_total_by_reason). */
    readonly errorsByReason: string;
    /** Memory and handles after each block. */
    readonly samples: readonly ResourceSample[];
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
  const hostileEvery = options.hostileEvery ?? 0;
  if (!Number.isInteger(hostileEvery) || hostileEvery < 0)
    throw new RangeError(`'hostileEvery' must be an integer >= 0, got ${hostileEvery}`);
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
    await writeJpegBag(bag, perRound + warmup);
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
        `after each, single frames one at a time on the same node` +
        (hostileEvery > 0 ? `; every ${hostileEvery}th message hostile` : ''),
    );
    const { overload, singleFrame } = await overloadRun(
      config,
      rcl,
      jpegs,
      overloadFrames,
      rounds,
      hostileEvery,
      log,
    );
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
  hostileEvery: number,
  log: (line: string) => void,
): Promise<{ overload: RosNodeBenchResult['overload']; singleFrame: LatencySummary }> {
  const hostile = hostileCompressedImages(jpegs[0]?.data ?? new Uint8Array(), {
    stamp: { sec: 0, nanosec: 0 },
    frame_id: 'hostile',
  });
  let hostileDelivered = 0;
  const sentBy: number[] = [];
  const samples: ResourceSample[] = [];
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
                // Every camera in turn: its own count, phase-shifted, so that one message in
                // hostileEvery overall is hostile and each camera gets its share.
                const own = (sentBy[k] = (sentBy[k] ?? 0) + 1);
                const period = hostileEvery * CAMERAS.length;
                const isHostile = hostileEvery > 0 && own % period === (k * hostileEvery) % period;
                bench.fake.deliver(
                  topicOf(camera),
                  isHostile
                    ? hostile[hostileDelivered++ % hostile.length]
                    : jpegs[delivered % jpegs.length],
                );
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
      samples.push(resourceSample(delivered));
      const last = samples.at(-1);
      if (blocks > 1 && last !== undefined)
        log(
          `  block ${block + 1}/${blocks}: ${delivered} delivered, RSS ${last.rssMiB.toFixed(1)} MiB, ` +
            `${last.fds} fds, ${last.activeResources} active resources`,
        );
    }
    tick();
  } finally {
    clearInterval(diagnosticsTimer);
    await bench.node.shutdown();
  }
  const rssEnd = process.memoryUsage().rss;
  let dropped = 0;
  let errors = 0;
  const reasons = new Map<string, string>();
  for (const p of diagnostics.published) {
    const array = p.message as {
      status: { name: string; values: { key: string; value: string }[] }[];
    };
    for (const s of array.status) {
      const value = (key: string): string | undefined => s.values.find((v) => v.key === key)?.value;
      dropped += Number(value('dropped_frames') ?? 0);
      errors += Number(value('errors') ?? 0);
      const byReason = value('errors_total_by_reason');
      if (byReason !== undefined) reasons.set(s.name, byReason);
    }
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
      hostileDelivered,
      errorsInDiagnostics: errors,
      errorsByReason: [...reasons.entries()].map(([n, r]) => `${n}: ${r}`).join('; '),
      samples,
      publishedPerCamera: counts,
      fairness: Math.min(...counts) / Math.max(1, ...counts),
      rssStartMiB: rssStart / 2 ** 20,
      rssEndMiB: rssEnd / 2 ** 20,
      rssGrowth: rssStart > 0 ? rssEnd / rssStart - 1 : 0,
    },
  };
}

function resourceSample(delivered: number): ResourceSample {
  let fds = -1;
  try {
    fds = fs.readdirSync('/proc/self/fd').length;
  } catch {
    // Not Linux: reported as -1.
  }
  return {
    delivered,
    rssMiB: process.memoryUsage().rss / 2 ** 20,
    fds,
    activeResources: process.getActiveResourcesInfo().length,
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
    `  drops + errors reported in /diagnostics: ${o.droppedInDiagnostics} + ${o.errorsInDiagnostics} (delivered - published = ${o.delivered - o.published}: ${pass(o.droppedInDiagnostics + o.errorsInDiagnostics === o.delivered - o.published)})`,
    ...(o.hostileDelivered > 0
      ? [
          // Under overload a hostile message may be replaced by a newer frame before it is
          // looked at (a drop, like any frame's); every failure must be a hostile one.
          `  hostile messages: ${o.hostileDelivered} delivered; ${o.errorsInDiagnostics} failed with their reason in /diagnostics, the rest dropped with the frames around them (no valid frame failed: ${pass(o.errorsInDiagnostics <= o.hostileDelivered)}); ${o.errorsByReason}`,
        ]
      : []),
    `  published per camera: ${o.publishedPerCamera.join(', ')} (fairness min/max ${o.fairness.toFixed(2)}: ${pass(o.fairness >= 0.9)})`,
    `  RSS ${o.rssStartMiB.toFixed(1)} MiB (at 20%) -> ${o.rssEndMiB.toFixed(1)} MiB: ${(o.rssGrowth * 100).toFixed(1)}% (target < 5%: ${pass(o.rssGrowth < 0.05)})`,
    ...(o.samples.length > 1 ? [handleTrend(o.samples)] : []),
  ].join('\n');
}

/** Open fds and active resources from the second block to the last (the first warms up). */
function handleTrend(samples: readonly ResourceSample[]): string {
  const from = samples[1] ?? samples[0];
  const to = samples.at(-1);
  if (from === undefined || to === undefined) return '';
  const maxFds = Math.max(...samples.slice(1).map((s) => s.fds));
  const flat = to.fds <= from.fds && to.activeResources <= from.activeResources;
  return (
    `  handles after block 2 -> last: fds ${from.fds} -> ${to.fds} (max ${maxFds}), active resources ` +
    `${from.activeResources} -> ${to.activeResources} (flat: ${flat ? 'ok' : 'MISSED'})`
  );
}

function integer(name: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`'--${name}' must be an integer >= ${min}, got ${text}`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      frames: { type: 'string', default: '400' },
      rounds: { type: 'string', default: '8' },
      'overload-frames': { type: 'string', default: '600' },
      'hostile-every': { type: 'string', default: '0' },
      threads: { type: 'string' },
      form: { type: 'string' },
      config: { type: 'string' },
      real: { type: 'boolean', default: false },
    },
  });
  const frames = integer('frames', values.frames, 1);
  const rounds = integer('rounds', values.rounds, 1);
  const overloadFrames = integer('overload-frames', values['overload-frames'], 1);
  const hostileEvery = integer('hostile-every', values['hostile-every'], 0);
  if (hostileEvery > 0 && values.real)
    throw new RangeError(`'--hostile-every' is for the test double alone: leave out --real`);
  const config = detectorBenchConfig(configFrom(values.config), {
    ...(values.threads === undefined ? {} : { threads: values.threads }),
    ...(values.form === undefined ? {} : { form: values.form }),
  });
  const settings = { config, frames, rounds, overloadFrames };
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const double = await runRosNodeBench({ ...settings, hostileEvery, log });
  process.stdout.write(`${formatRosNodeBench(double)}\n`);
  if (!values.real) return;
  let real;
  try {
    real = await runRealGraphBench({ ...settings, log });
  } catch (error) {
    if (!(error instanceof InterruptedError)) throw error;
    // The children are stopped; a replay in this process may still be running: do not wait for it.
    process.stderr.write(`rosNodeBench: ${error.message}; every process it started is stopped\n`);
    process.exit(130);
  }
  process.stdout.write(`${formatRealGraphBench(real)}\n\n${formatGraphComparison(double, real)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  await main();
}
