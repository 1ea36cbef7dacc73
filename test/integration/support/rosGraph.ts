/**
 * The real ROS 2 graph for the integration tests: whether one is here, a domain of its own per
 * test group, and the processes users run (ros2 launch, ros2 run, ros2 bag play, ros2 param,
 * ros2 lifecycle) plus an rclpy probe on the other side.
 *
 * Where ROS 2 and the built package are missing the suite is skipped with the reason printed,
 * unless MOBILENET_ROS_REQUIRE_ROS=1 (set by .ci/run where it installed ROS 2): then every group
 * fails with the reason instead, so a broken set-up can never pass as "skipped".
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSampleRecording } from '../../../src/sample/sampleRecording.js';
import { repoRoot } from '../../support/paths.js';
import { RosProcess } from './rosProcess.js';

/** Why the real graph cannot be used here, or undefined when it can. */
function missingRos(): string | undefined {
  if (process.env.ROS_DISTRO === undefined || process.env.ROS_DISTRO === '') {
    return 'ROS 2 is not sourced (ROS_DISTRO unset): source /opt/ros/<distro>/setup.bash and the colcon workspace of mobilenet_ros';
  }
  const prefix = spawnSync('ros2', ['pkg', 'prefix', 'mobilenet_ros'], { encoding: 'utf8' });
  if (prefix.status !== 0) {
    return `the package is not built or not sourced (\`ros2 pkg prefix mobilenet_ros\`: ${(prefix.stderr || prefix.error?.message || '').trim()}); build it with colcon and source install/setup.bash`;
  }
  return undefined;
}

const missing = missingRos();

/** The install prefix of the built package (`ros2 pkg prefix mobilenet_ros`). */
export function packagePrefix(): string {
  return spawnSync('ros2', ['pkg', 'prefix', 'mobilenet_ros'], { encoding: 'utf8' }).stdout.trim();
}
const required = process.env.MOBILENET_ROS_REQUIRE_ROS === '1';
let toldSkip = false;

/** `describe` for a group of real-graph tests: runs, fails (ROS required but missing), or skips. */
export function describeRos(title: string, body: (this: Mocha.Suite) => void): void {
  if (missing === undefined) {
    describe(`${title} (real ROS 2 graph)`, body);
  } else if (required) {
    describe(`${title} (real ROS 2 graph)`, () => {
      it('has ROS 2 and the built package (MOBILENET_ROS_REQUIRE_ROS=1)', () => {
        throw new Error(`real-ROS tests required but cannot run: ${missing}`);
      });
    });
  } else {
    if (!toldSkip) {
      console.log(`  (real-ROS tests skipped: ${missing})`);
      toldSkip = true;
    }
    describe.skip(`${title} (real ROS 2 graph)`, body);
  }
}

let nextDomain = 100 + (process.pid % 50) * 2;

/** Bags of real photos, written once per run with the project's own MCAP writer. */
export interface SampleBags {
  /** /front_camera/image_raw (Image rgb8) and /rear_camera/image_raw/compressed (JPEG), 30 frames each at 10 fps. */
  cameras: string;
  dir: string;
}

let bags: Promise<SampleBags> | undefined;

export function sampleBags(): Promise<SampleBags> {
  bags ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilenet-ros-it-'));
    const cameras = path.join(dir, 'cameras.mcap');
    await writeSampleRecording({ output: cameras, seconds: 3, fps: 10 });
    return { cameras, dir };
  })();
  return bags;
}

/** Where the rclpy probe lives (run from the source tree: it is no TypeScript). */
export const probeScript = path.join(repoRoot, 'test/integration/support/probe.py');

/** One JSON line of the probe's `sub`. */
export interface ProbeMessage {
  topic: string;
  msg: Record<string, unknown>;
}

/**
 * The processes of one test group on a domain of its own. `close()` stops every process it
 * started (SIGINT to each group, SIGKILL after 10 s) and the ros2 CLI daemon of its domain.
 */
export class Graph {
  readonly domainId = nextDomain++;
  readonly env: NodeJS.ProcessEnv;
  private readonly processes: RosProcess[] = [];

  constructor() {
    this.env = { ...process.env, ROS_DOMAIN_ID: String(this.domainId), PYTHONUNBUFFERED: '1' };
  }

  start(
    label: string,
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = {},
  ): RosProcess {
    const p = new RosProcess(label, command, args, { ...this.env, ...env });
    this.processes.push(p);
    return p;
  }

  /** `ros2 launch mobilenet_ros <file> <args>`, with `env` added to the graph's environment. */
  launch(file: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): RosProcess {
    return this.start('launch', 'ros2', ['launch', 'mobilenet_ros', file, ...args], env);
  }

  /** `ros2 run mobilenet_ros detector <args>`. */
  runNode(args: readonly string[] = []): RosProcess {
    return this.start('node', 'ros2', ['run', 'mobilenet_ros', 'detector', ...args]);
  }

  /** The installed executable lib/mobilenet_ros/detector, as launch starts it. */
  detector(args: readonly string[] = []): RosProcess {
    return this.start('node', path.join(packagePrefix(), 'lib/mobilenet_ros/detector'), args);
  }

  /** `ros2 bag play <bag> <args>`; resolves when playing ended. */
  async play(bag: string, args: readonly string[] = []): Promise<void> {
    const player = this.start('bag play', 'ros2', ['bag', 'play', bag, ...args]);
    const exit = await player.exited;
    if (exit.code !== 0) throw new Error(`ros2 bag play failed (${exit.code})\n${player.tail()}`);
  }

  /** An rclpy subscriber printing each message; resolves once subscribed. */
  async subscribe(endpoints: readonly string[]): Promise<Probe> {
    const p = this.start('probe', 'python3', [probeScript, 'sub', ...endpoints]);
    await p.waitFor(/"ready": true/, 20000);
    return new Probe(p);
  }

  /** An rclpy publisher of the messages in `spec` (see probe.py); resolves when it is done. */
  async publish(endpoint: string, spec: unknown): Promise<RosProcess> {
    const file = path.join((await sampleBags()).dir, `pub-${this.domainId}-${Date.now()}.json`);
    fs.writeFileSync(file, JSON.stringify(spec));
    const p = this.start('publisher', 'python3', [probeScript, 'pub', endpoint, file]);
    const exit = await p.exited;
    if (exit.code !== 0) throw new Error(`probe pub failed\n${p.tail()}`);
    return p;
  }

  /** A ros2 CLI command that ends by itself (param, lifecycle, topic info ...), without the daemon. */
  ros2(args: readonly string[], timeoutMs = 30000): { code: number | null; out: string } {
    const result = spawnSync('ros2', [...args], {
      env: this.env,
      encoding: 'utf8',
      timeout: timeoutMs,
    });
    return { code: result.status, out: `${result.stdout}${result.stderr}` };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.processes.filter((p) => p.running).map((p) => p.stop('SIGINT').catch(() => p.kill())),
    );
    for (const p of this.processes) if (p.groupAlive()) p.kill();
    spawnSync('ros2', ['daemon', 'stop'], { env: this.env, timeout: 20000 });
  }
}

/** The messages a probe printed, by topic. */
export class Probe {
  constructor(readonly process: RosProcess) {}

  messages(topic: string): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const line of this.process.lines) {
      if (!line.startsWith('{"topic"')) continue;
      const parsed = JSON.parse(line) as ProbeMessage;
      if (parsed.topic === topic) out.push(parsed.msg);
    }
    return out;
  }

  /** Waits until `count` messages arrived on `topic`. */
  async waitForMessages(
    topic: string,
    count: number,
    timeoutMs = 30000,
  ): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages(topic).length < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `${this.messages(topic).length} of ${count} messages on ${topic} within ${timeoutMs} ms\n${this.process.tail(10)}`,
        );
      }
      await sleep(100);
    }
    return this.messages(topic);
  }
}

/**
 * A fresh Graph for every test of the enclosing describe, closed after it (even when the test
 * failed). Returns the current one.
 */
export function graphPerTest(): () => Graph {
  let graph: Graph | undefined;
  beforeEach(() => {
    graph = new Graph();
  });
  afterEach(async () => {
    await graph?.close();
  });
  return () => {
    if (graph === undefined) throw new Error('graphPerTest(): no test is running');
    return graph;
  };
}

/**
 * How the tests play the sample recording: half speed, after a second for discovery. rosbag2
 * does not wait for subscribers, so a first frame sent before the node's subscription matched
 * would be lost on the way, not by the node.
 */
export const PLAY = ['--rate', '0.5', '--delay', '1'] as const;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
