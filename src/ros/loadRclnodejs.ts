import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RosUnavailableError, errorText } from '../errors.js';
import type { RclModule } from './rclApi.js';

const HOW_TO =
  "Source ROS 2 first (e.g. `source /opt/ros/humble/setup.bash`, or your workspace's install/setup.bash), " +
  'then build rclnodejs against it once, in the mobilenet-ros package folder: `npm rebuild rclnodejs` ' +
  '(uses a prebuilt binding for Humble/Jammy and Jazzy/Noble, else compiles; it also generates the message classes). ' +
  'Every other command (replay, detect, bench, ...) works without ROS.';

/**
 * Checks that ROS 2 is sourced and rclnodejs's binding and generated messages exist, then
 * imports rclnodejs. The checks come first because importing rclnodejs without a binding makes
 * it try to compile itself at import time, which fails slowly and obscurely without ROS.
 *
 * @throws RosUnavailableError (ROS_UNAVAILABLE) saying what is missing and how to fix it.
 */
export async function loadRclnodejs(env: NodeJS.ProcessEnv = process.env): Promise<RclModule> {
  rosPreflight(env);
  try {
    const mod = (await import('rclnodejs')) as unknown as { default?: RclModule } & RclModule;
    return mod.default ?? mod;
  } catch (error) {
    throw new RosUnavailableError(
      'ROS_UNAVAILABLE',
      `rclnodejs could not be loaded: ${errorText(error)}. ${HOW_TO}`,
      { cause: error },
    );
  }
}

/** The checks of {@link loadRclnodejs}, without importing anything. */
export function rosPreflight(
  env: NodeJS.ProcessEnv = process.env,
  packageDir = rclnodejsDir(),
): void {
  if (env.ROS_DISTRO === undefined || env.ROS_DISTRO === '') {
    throw new RosUnavailableError(
      'ROS_UNAVAILABLE',
      `\`run\` needs ROS 2, but ROS_DISTRO is not set (ROS 2 is not sourced). ${HOW_TO}`,
    );
  }
  if (packageDir === undefined) {
    throw new RosUnavailableError(
      'ROS_UNAVAILABLE',
      `rclnodejs is not installed (it is an optional dependency: install it with ROS 2 sourced: \`npm install rclnodejs\`). ${HOW_TO}`,
    );
  }
  const binding = path.join(packageDir, 'build', 'Release', 'rclnodejs.node');
  if (!fs.existsSync(binding)) {
    throw new RosUnavailableError(
      'ROS_UNAVAILABLE',
      `rclnodejs's native binding was never built (${binding} is missing). ${HOW_TO}`,
    );
  }
  if (!fs.existsSync(path.join(packageDir, 'generated'))) {
    throw new RosUnavailableError(
      'ROS_UNAVAILABLE',
      `rclnodejs has not generated its message classes (${path.join(packageDir, 'generated')} is missing). ${HOW_TO}`,
    );
  }
}

function rclnodejsDir(): string | undefined {
  try {
    // dist/index.js -> the package folder; resolving does not execute the module.
    return path.dirname(path.dirname(fileURLToPath(import.meta.resolve('rclnodejs'))));
  } catch {
    return undefined;
  }
}
