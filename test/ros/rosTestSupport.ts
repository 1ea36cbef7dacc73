import fs from 'node:fs';
import path from 'node:path';
import { matToImageMessage } from '../../src/image/matToImageMessage.js';
import { readImageFile } from '../../src/image/readImageFile.js';
import type { CompressedImage, Header, Image } from '../../src/messages/types.js';
import { DetectorNode } from '../../src/ros/detectorNode.js';
import type { RclClasses } from '../../src/ros/rclApi.js';
import { fixturesDir } from '../support/paths.js';
import { FakeNode, givenParameters, realRclClasses } from '../support/fakeRclnodejs.js';

let classes: RclClasses | undefined;

/** rclnodejs's real parameter and QoS classes, loaded once. */
export async function rcl(): Promise<RclClasses> {
  classes ??= await realRclClasses();
  return classes;
}

/** A node double, a DetectorNode on it, a manual clock and a manual diagnostics ticker. */
export interface Harness {
  fake: FakeNode;
  node: DetectorNode;
  clock: { ms: number };
  tick: () => void;
}

export async function harness(
  overrides: Record<string, unknown> = {},
  namespace = '/',
): Promise<Harness> {
  const r = await rcl();
  const fake = new FakeNode(r, 'mobilenet_ros', namespace);
  const clock = { ms: 0 };
  let ticker: (() => void) | undefined;
  const node = DetectorNode.create({
    node: fake,
    rcl: r,
    overrides: givenParameters(overrides),
    now: () => clock.ms,
    every: (_period, tick) => {
      ticker = tick;
      return () => {
        ticker = undefined;
      };
    },
  });
  return { fake, node, clock, tick: () => ticker?.() };
}

export function header(sec: number, nanosec: number, frameId: string): Header {
  return { stamp: { sec, nanosec }, frame_id: frameId };
}

/** A real photo as a CompressedImage (JPEG), a fresh buffer each call. */
export function jpegMessage(h: Header, file = 'coffee.jpg'): CompressedImage {
  return {
    header: h,
    format: 'jpeg',
    data: new Uint8Array(fs.readFileSync(path.join(fixturesDir, 'images', file))),
  };
}

/** A real photo as a raw rgb8 Image. */
export function rgbMessage(h: Header, file = 'coffee.jpg'): Image {
  const mat = readImageFile(path.join(fixturesDir, 'images', file));
  try {
    return matToImageMessage(mat, h, 'rgb8');
  } finally {
    mat.release();
  }
}

/** Polls until `condition` holds (the pipeline runs inference asynchronously). */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 20000,
): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
