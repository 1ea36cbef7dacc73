/**
 * Shared by the bag tests: where ROS 2's own bags are, a zstd decompressor for MCAP chunks, and
 * temporary directories.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { McapTypes } from '@mcap/core';

import { sharedDir } from '../support/paths.js';

/** Bags written by ROS 2 itself (ros2/rosbag2 test resources). */
export const rosbag2Dir = path.join(sharedDir, 'data/rosbag2');

/**
 * A zstd handler for MCAP chunks that runs the system `zstd` tool, or undefined where it is
 * missing. The project has no zstd package (yet); the talker .mcap uses zstd chunks, and this
 * lets the conformance test read it through the same `decompressHandlers` option that a real
 * decompressor would use.
 */
export function systemZstd(): McapTypes.DecompressHandlers | undefined {
  try {
    execFileSync('zstd', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return {
    zstd: (buffer: Uint8Array) =>
      new Uint8Array(execFileSync('zstd', ['-d', '-c', '-q'], { input: buffer })),
  };
}

/** A fresh temporary directory, and a function that removes it. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mobilenet-ros-bag-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
