import fs from 'node:fs';
import path from 'node:path';
import type { ProcessScope } from './processScope.js';

/**
 * A Python (rclpy) program that plays cameras: JPEG files as sensor_msgs/CompressedImage on
 * several topics, each at the same rate with phases spread over the frame period, as separate
 * camera drivers would. Each message's header.stamp is the ROS clock (system time) just before
 * it is published, so that whoever receives the node's results can time publish -> result.
 *
 * Python rather than a second Node.js process: a separate client library (rclpy, as in many
 * camera drivers) and a separate process from both the node and the benchmark. It waits until
 * every topic has a subscriber (frames sent before discovery matched would be lost, not dropped
 * by the node), prints `sent <n>` as it goes and `done ...` at the end. With a hostile folder,
 * one message in every `--hostile-every` is one of its messages instead of a frame (the soak).
 */
const SCRIPT = String.raw`"""Cameras for mobilenet-ros bench --graph real (written by it; see cameraPublishers.ts)."""
import argparse
import array
import os
import sys
import time

import rclpy
from rclpy.node import Node
from rclpy.qos import DurabilityPolicy, HistoryPolicy, QoSProfile, ReliabilityPolicy
from sensor_msgs.msg import CompressedImage


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--frames-dir', required=True)
    parser.add_argument('--fps', type=float, required=True)
    parser.add_argument('--count', type=int, required=True, help='frames over all topics')
    parser.add_argument('--wait-s', type=float, default=30.0)
    parser.add_argument('--progress-every', type=int, default=20)
    parser.add_argument('--hostile-dir', help='NNNN.bin + NNNN.format: messages no camera should send')
    parser.add_argument('--hostile-every', type=int, default=0)
    parser.add_argument('topics', nargs='+', help='TOPIC=FRAME_ID')
    args = parser.parse_args()
    names = sorted(f for f in os.listdir(args.frames_dir) if f.endswith('.jpg'))
    jpegs = []
    for name in names:
        with open(os.path.join(args.frames_dir, name), 'rb') as f:
            jpegs.append(array.array('B', f.read()))
    if not jpegs:
        print('error: no .jpg files in ' + args.frames_dir, file=sys.stderr)
        return 2
    hostile_payloads = []
    if args.hostile_every > 0:
        for name in sorted(f for f in os.listdir(args.hostile_dir) if f.endswith('.bin')):
            stem = os.path.join(args.hostile_dir, name[:-4])
            with open(stem + '.bin', 'rb') as f:
                data = array.array('B', f.read())
            with open(stem + '.format', encoding='utf-8') as f:
                hostile_payloads.append((f.read(), data))
        if not hostile_payloads:
            print('error: no .bin files in ' + str(args.hostile_dir), file=sys.stderr)
            return 2
    rclpy.init(args=[])
    node = Node('mobilenet_bench_cameras')
    qos = QoSProfile(
        history=HistoryPolicy.KEEP_LAST,
        depth=10,
        reliability=ReliabilityPolicy.RELIABLE,
        durability=DurabilityPolicy.VOLATILE,
    )
    cameras = []
    for spec in args.topics:
        topic, frame_id = spec.rsplit('=', 1)
        messages = []
        for data in jpegs:
            msg = CompressedImage()
            msg.header.frame_id = frame_id
            msg.format = 'jpeg'
            msg.data = data
            messages.append(msg)
        hostile = []
        for fmt, data in hostile_payloads:
            msg = CompressedImage()
            msg.header.frame_id = frame_id
            msg.format = fmt
            msg.data = data
            hostile.append(msg)
        cameras.append((node.create_publisher(CompressedImage, topic, qos), messages, topic, hostile))
    deadline = time.monotonic() + args.wait_s
    for publisher, _, topic, _ in cameras:
        while publisher.get_subscription_count() == 0:
            if time.monotonic() > deadline:
                print('error: nobody subscribed to %s within %.0f s' % (topic, args.wait_s), file=sys.stderr)
                return 3
            time.sleep(0.02)
    clock = node.get_clock()
    n = len(cameras)
    period = 1.0 / args.fps
    start = time.monotonic() + 0.05
    sent = [0] * n
    late_max = 0.0
    hostile_sent = 0
    every = args.hostile_every
    for k in range(args.count):
        camera = k % n
        i = k // n
        due = start + i * period + camera * period / n
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        else:
            late_max = max(late_max, -wait)
        publisher, messages, _, hostile = cameras[camera]
        # One in each run of 'every' messages, at an offset that moves on, so every camera gets its share.
        if every > 0 and k % every == (k // every) % min(n, every):
            msg = hostile[hostile_sent % len(hostile)]
            hostile_sent += 1
        else:
            msg = messages[i % len(messages)]
        msg.header.stamp = clock.now().to_msg()
        publisher.publish(msg)
        sent[camera] += 1
        if (k + 1) % args.progress_every == 0:
            print('sent %d' % (k + 1), flush=True)
    elapsed = time.monotonic() - start
    print('done %d seconds %.3f late_max_ms %.1f hostile %d per_topic %s' % (args.count, elapsed, late_max * 1000, hostile_sent, ' '.join(map(str, sent))), flush=True)
    # Reliable writers: let the last frames go out before the participant leaves.
    time.sleep(0.3)
    node.destroy_node()
    rclpy.shutdown()
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
`;

/** Options of {@link publishCameraFrames}. */
export interface CameraPublishersOptions {
  /** Folder with the frames as `*.jpg`, sent in name order, cycling. */
  readonly framesDir: string;
  /** Where the program is written. */
  readonly scriptDir: string;
  /** One camera per topic; its frames carry this frame_id. */
  readonly cameras: readonly { readonly topic: string; readonly frameId: string }[];
  /** Frames per second of each camera, > 0. */
  readonly fps: number;
  /** Frames over all cameras (round-robin), >= 1. */
  readonly count: number;
  /** Called as frames go out, with the number sent so far (every 20 frames). */
  readonly onSent?: (sent: number) => void;
  /**
   * One message in every `every` is one of `messages` (in turn) instead of a frame, each with its
   * camera's frame_id and a fresh stamp: the soak's hostile input.
   */
  readonly hostile?: {
    readonly every: number;
    readonly messages: readonly { readonly format: string; readonly data: Uint8Array }[];
  };
}

/** What the publishers reported at the end. */
export interface PublishedFrames {
  readonly sent: number;
  /** Of `sent`, the hostile messages. */
  readonly hostile: number;
  readonly perCamera: readonly number[];
  /** The latest any frame went out after its due time, ms (the publishers' own lag). */
  readonly lateMaxMs: number;
  /** From the first frame's due time to the last frame sent. */
  readonly seconds: number;
}

/**
 * Runs the camera publishers (one rclpy process, a publisher per camera) until `count` frames
 * are out, in a process group owned by `scope`.
 * @throws Error with the program's output when it fails (no subscriber, no rclpy: ROS 2 not
 *   sourced) or does not report what it sent.
 */
export async function publishCameraFrames(
  scope: ProcessScope,
  options: CameraPublishersOptions,
): Promise<PublishedFrames> {
  if (!(options.fps > 0)) throw new RangeError(`'fps' must be > 0, got ${options.fps}`);
  if (!Number.isInteger(options.count) || options.count < 1)
    throw new RangeError(`'count' must be an integer >= 1, got ${options.count}`);
  const script = path.join(options.scriptDir, 'mobilenet_bench_cameras.py');
  if (!fs.existsSync(script)) fs.writeFileSync(script, SCRIPT);
  const hostileArgs: string[] = [];
  if (options.hostile !== undefined) {
    const { every, messages } = options.hostile;
    if (!Number.isInteger(every) || every < 1)
      throw new RangeError(`'hostile.every' must be an integer >= 1, got ${every}`);
    if (messages.length === 0) throw new RangeError(`'hostile.messages' is empty`);
    const hostileDir = path.join(options.scriptDir, 'hostile');
    fs.mkdirSync(hostileDir, { recursive: true });
    messages.forEach((m, i) => {
      const stem = path.join(hostileDir, String(i).padStart(4, '0'));
      fs.writeFileSync(`${stem}.bin`, m.data);
      fs.writeFileSync(`${stem}.format`, m.format);
    });
    hostileArgs.push('--hostile-dir', hostileDir, '--hostile-every', String(every));
  }
  let done: PublishedFrames | undefined;
  const child = await scope.start(
    'python3',
    [
      script,
      '--frames-dir',
      options.framesDir,
      '--fps',
      String(options.fps),
      '--count',
      String(options.count),
      ...hostileArgs,
      ...options.cameras.map((c) => `${c.topic}=${c.frameId}`),
    ],
    {
      name: 'the camera publishers (python3, rclpy)',
      onStdoutLine: (line) => {
        const sent = /^sent (\d+)$/.exec(line);
        if (sent !== null) options.onSent?.(Number(sent[1]));
        const end =
          /^done (\d+) seconds ([\d.]+) late_max_ms ([\d.]+) hostile (\d+) per_topic ([\d ]+)$/.exec(
            line,
          );
        if (end !== null)
          done = {
            sent: Number(end[1]),
            seconds: Number(end[2]),
            lateMaxMs: Number(end[3]),
            hostile: Number(end[4]),
            perCamera: (end[5] ?? '').trim().split(' ').map(Number),
          };
      },
    },
  );
  try {
    await scope.race(child.succeeded());
  } finally {
    await scope.stop(child);
  }
  if (done === undefined)
    throw new Error(`the camera publishers did not report what they sent:\n${child.tail()}`);
  return done;
}
