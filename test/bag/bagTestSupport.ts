/**
 * Shared by the bag tests: where ROS 2's own bags are, and
 * temporary directories.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { sharedDir } from '../support/paths.js';

/** Bags written by ROS 2 itself (ros2/rosbag2 test resources). */
export const rosbag2Dir = path.join(sharedDir, 'data/rosbag2');

/** A fresh temporary directory, and a function that removes it. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mobilenet-ros-bag-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
