import { DetectorNode } from './detectorNode.js';
import { serveLifecycle } from './lifecycleTransitions.js';
import { followSimClock } from './simClock.js';
import { loadRclnodejs } from './loadRclnodejs.js';
import { ConfigError, type MobilenetRosError } from '../errors.js';
import { readParameterOverrides } from './nativeParameterOverrides.js';
import { resolveParameterOverrides, type ResolvedOverride } from './parameterOverrides.js';
import {
  ParameterTypes,
  type RosParameter,
  type SetParametersResult,
  type RclModule,
  type RosLogger,
  type RosRunnableNode,
} from './rclApi.js';

/** Options of {@link runDetectorNode}. */
export interface RunDetectorNodeOptions {
  /** Command line for rcl: everything after `--ros-args` is parsed by ROS (remaps, -p, --params-file). Default process.argv. */
  argv?: string[];
  /** Run as a managed (lifecycle) node that waits for configure/activate. Default false. */
  lifecycle?: boolean;
  /** Node name before remapping (`-r __node:=...` wins). Default 'mobilenet_ros'. */
  nodeName?: string;
  /** rclnodejs; default: loaded (after checking that ROS 2 is sourced). */
  rcl?: RclModule;
  /** Resolves to stop the node (default: the first SIGINT or SIGTERM). */
  stop?: Promise<unknown>;
}

/**
 * Runs the node until SIGINT/SIGTERM, then shuts it down cleanly (subscriptions destroyed,
 * sessions released, rcl shut down). Resolves with the exit status (0).
 */
export async function runDetectorNode(options: RunDetectorNodeOptions = {}): Promise<number> {
  // Listen first: a SIGINT/SIGTERM while the models load must stop the node in order too.
  const stop = options.stop ?? signalled();
  const rcl = options.rcl ?? (await loadRclnodejs());
  await rcl.init(undefined, options.argv ?? process.argv);
  // We shut down ourselves (in order, awaiting the model's release) instead of rclnodejs's SIGINT handler.
  rcl.removeSignalHandlers();
  const name = options.nodeName ?? 'mobilenet_ros';
  const nodeOptions = rosoutOptions(rcl);
  const lifecycleNode =
    options.lifecycle === true
      ? new rcl.lifecycle.LifecycleNode(name, undefined, undefined, nodeOptions)
      : undefined;
  const node: RosRunnableNode =
    lifecycleNode ?? new rcl.Node(name, undefined, undefined, nodeOptions);
  const logger = node.getLogger();
  let detectorNode: DetectorNode | undefined;
  try {
    // Resolved for the name after remapping (__node, __ns, launch's namespace), as rclcpp does.
    const overrides = resolveParameterOverrides(
      await readParameterOverrides(node),
      node.getFullyQualifiedName(),
    );
    if (applySimTime(node, rcl, overrides.get('use_sim_time'))) followSimClock(node, rcl);
    // A lifecycle node answers a fatal failure with ErrorProcessing; a plain one keeps
    // reporting ERROR in /diagnostics (the detector has logged it and drops frames).
    let onFatal: ((error: MobilenetRosError) => void) | undefined;
    detectorNode = DetectorNode.create({ node, rcl, overrides, onFatal: (e) => onFatal?.(e) });
    if (lifecycleNode !== undefined) {
      onFatal = serveLifecycle(lifecycleNode, detectorNode, logger).fail;
      logger.info('lifecycle node: waiting for configure (`ros2 lifecycle set <node> configure`)');
    } else {
      await detectorNode.configure();
      detectorNode.activate();
    }
    node.spin();
    await stop;
    logger.info('shutting down');
    exitIfStuck(SHUTDOWN_DEADLINE_MS, logger);
  } finally {
    await detectorNode?.shutdown();
    node.destroy();
    if (!rcl.isShutdown()) rcl.shutdown();
  }
  if (options.stop === undefined) await absorbForwardedSignal();
  return 0;
}

/**
 * Ctrl-C on `ros2 launch` reaches the node twice within milliseconds: once through the process
 * group and once forwarded by launch. When shutting down is quicker than that (a finalized
 * lifecycle node), the second one would land while the process is already exiting, when Node
 * has restored the default action, and kill it with status -2 instead of 0. Waiting a moment
 * with the handlers still installed takes it in.
 */
function absorbForwardedSignal(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, FORWARDED_SIGNAL_WAIT_MS));
}

const FORWARDED_SIGNAL_WAIT_MS = 300;

/**
 * rclnodejs's clock reads use_sim_time from its own partial view of the overrides when the node
 * is created; set the resolved value (launch's `use_sim_time:=true` is keyed by the node's full
 * name, which rclnodejs does not read). Its time source follows the parameter from then on.
 * Returns whether simulated time is on.
 */
function applySimTime(
  node: RosRunnableNode,
  rcl: RclModule,
  given: ResolvedOverride | undefined,
): boolean {
  const wanted = given === undefined ? false : given.value;
  if (typeof wanted !== 'boolean') {
    throw new ConfigError(
      'CONFIG_INVALID',
      `parameter 'use_sim_time' (given for ${given?.from ?? '?'}) must be a bool, got ${JSON.stringify(wanted)}`,
    );
  }
  if (node.getParameter('use_sim_time').value === wanted) return wanted;
  const result = (node as unknown as SimTimeSetter).setParameter(
    new rcl.Parameter('use_sim_time', ParameterTypes.bool, wanted),
  );
  if (!result.successful) throw new Error(`could not set use_sim_time: ${result.reason}`);
  return wanted;
}

/** rclnodejs.Node.setParameter (typed in rclnodejs through generated interfaces that may not exist yet). */
interface SimTimeSetter {
  setParameter(parameter: RosParameter): SetParametersResult;
}

/**
 * The first SIGINT or SIGTERM. The handlers stay installed: `ros2 launch` stopped with Ctrl-C
 * delivers SIGINT twice (to the process group, then forwarded by launch), and the second must
 * not kill the node half way through its orderly shutdown.
 */
function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first: NodeJS.Signals | undefined;
    const on = (signal: NodeJS.Signals): void => {
      if (first !== undefined) return; // already stopping
      first = signal;
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** launch escalates to SIGTERM after 5 s and then SIGKILL; stop on our own before that. */
const SHUTDOWN_DEADLINE_MS = 4000;

/** Exits with status 1 if the orderly shutdown has not ended the process by the deadline. */
function exitIfStuck(deadlineMs: number, logger: RosLogger): void {
  setTimeout(() => {
    logger.error(`shutdown did not finish within ${deadlineMs / 1000} s; exiting anyway`);
    process.exit(1);
  }, deadlineMs).unref();
}

/**
 * Node options with rosout set up once. On Humble, rcl_node_init creates the node's /rosout
 * publisher itself and rclnodejs creates it a second time, which makes rcl warn "Publisher
 * already registered for provided node name" (as if two nodes shared the name); from Iron on,
 * rcl leaves it to the client library. So rclnodejs's own rosout set-up is skipped on Humble.
 */
function rosoutOptions(rcl: RclModule): InstanceType<RclModule['NodeOptions']> {
  const nodeOptions = new rcl.NodeOptions();
  nodeOptions.enableRosout = rcl.DistroUtils.getDistroId() > rcl.DistroUtils.getDistroId('humble');
  return nodeOptions;
}
