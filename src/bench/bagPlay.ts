import type { ProcessScope } from './processScope.js';

/** Options of {@link playBag}. Defaults in brackets. */
export interface BagPlayOptions {
  /** An MCAP file. */
  readonly bag: string;
  /** Playback rate, a multiple of the bag's own timing, > 0. */
  readonly rate: number;
  /** Topic remaps, recorded topic -> played topic. [none] */
  readonly remap?: readonly (readonly [string, string])[];
  /**
   * Seconds `ros2 bag play` waits between creating its publishers and the first message, so that
   * discovery has matched them with the node's subscriptions; frames sent before that are lost
   * on the way, not dropped by the node. [1]
   */
  readonly delayS?: number;
}

/**
 * Plays a bag with `ros2 bag play` (a real rosbag2 player, in a process group of its own owned
 * by `scope`) and resolves when it has played every message.
 * @throws Error with its output when it fails (ENOENT: ROS 2 not sourced).
 */
export async function playBag(scope: ProcessScope, options: BagPlayOptions): Promise<void> {
  if (!(options.rate > 0)) throw new RangeError(`'rate' must be > 0, got ${options.rate}`);
  const delayS = options.delayS ?? 1;
  if (!(delayS >= 0)) throw new RangeError(`'delayS' must be >= 0, got ${delayS}`);
  const remap = options.remap ?? [];
  const child = await scope.start(
    'ros2',
    [
      'bag',
      'play',
      options.bag,
      '--storage',
      'mcap',
      '--rate',
      options.rate.toFixed(4),
      '--delay',
      String(delayS),
      '--disable-keyboard-controls',
      ...(remap.length > 0 ? ['--remap', ...remap.map(([from, to]) => `${from}:=${to}`)] : []),
    ],
    { name: 'ros2 bag play' },
  );
  try {
    await scope.race(child.succeeded());
  } finally {
    await scope.stop(child);
  }
}
