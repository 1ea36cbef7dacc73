import { createRequire } from 'node:module';
import type { DoctorCheck } from './doctorCheck.js';
import { loadRclnodejs } from '../ros/loadRclnodejs.js';

export interface RosCheckOptions {
  /** Environment to read ROS_DISTRO from. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Fail (not warn) when ROS 2 is not sourced: the user is about to run the node. Default false. */
  requireRos?: boolean;
  /** Loads rclnodejs. Default: the ROS layer's loader (checks the binding first); called only when ROS_DISTRO is set. */
  loadRclnodejs?: () => Promise<unknown>;
}

/**
 * Whether ROS 2 is sourced and rclnodejs loads. rclnodejs is never imported without ROS_DISTRO:
 * an unbuilt rclnodejs tries to compile itself at import time, which fails without ROS.
 */
export async function rosCheck(options: RosCheckOptions = {}): Promise<DoctorCheck[]> {
  const env = options.env ?? process.env;
  const distro = env.ROS_DISTRO;
  if (distro === undefined || distro === '') {
    return [
      {
        section: 'ros',
        status: options.requireRos === true ? 'fail' : 'warn',
        summary:
          'ROS 2 is not sourced (ROS_DISTRO is unset); replay, detect and bench work without it',
        fix: 'for the ROS node: `source /opt/ros/humble/setup.bash` (and your workspace install/setup.bash), then `npm run setup` to build rclnodejs',
      },
    ];
  }
  const checks: DoctorCheck[] = [
    {
      section: 'ros',
      status: 'ok',
      summary: `ROS 2 ${distro} is sourced (AMENT_PREFIX_PATH ${env.AMENT_PREFIX_PATH ?? 'unset'})`,
    },
  ];
  // Through the ROS layer (src/ros/), the only importer of rclnodejs: its checks come first.
  const load = options.loadRclnodejs ?? loadRclnodejs;
  try {
    await load();
    checks.push({ section: 'ros', status: 'ok', summary: `rclnodejs ${rclnodejsVersion()} loads` });
  } catch (error) {
    checks.push({
      section: 'ros',
      status: 'fail',
      summary: `rclnodejs does not load: ${(error as Error).message.split('\n')[0] ?? ''}`,
      fix: 'with ROS 2 sourced, run `npm run setup` (it builds rclnodejs), or `npm rebuild rclnodejs`',
    });
  }
  return checks;
}

function rclnodejsVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require('rclnodejs/package.json') as { version: string }).version;
  } catch {
    return '(version unknown)';
  }
}
