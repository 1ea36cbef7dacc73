import type { DetectorNode } from './detectorNode.js';
import { CallbackReturn, type RosLifecycleNode, type RosLogger } from './rclApi.js';

/** lifecycle_msgs/msg/State ids of the primary states. */
const State = { unconfigured: 1, inactive: 2, active: 3, finalized: 4 } as const;

/** lifecycle_msgs/msg/Transition ids a change_state request may carry instead of a label. */
const LABEL_BY_ID: Readonly<Record<number, Label>> = {
  1: 'configure',
  2: 'cleanup',
  3: 'activate',
  4: 'deactivate',
  5: 'shutdown',
  6: 'shutdown',
  7: 'shutdown',
};

type Label = 'configure' | 'cleanup' | 'activate' | 'deactivate' | 'shutdown';

/** The primary states each transition starts from (rcl_lifecycle's default state machine). */
const STARTS: Readonly<Record<Label, readonly number[]>> = {
  configure: [State.unconfigured],
  cleanup: [State.inactive],
  activate: [State.inactive],
  deactivate: [State.active],
  shutdown: [State.unconfigured, State.inactive, State.active],
};

interface ChangeStateRequest {
  transition: { id: number; label: string };
}
interface ChangeStateResponse {
  template: { success: boolean };
  send(result: { success: boolean }): void;
}
type ChangeStateHandler = (request: ChangeStateRequest, response: ChangeStateResponse) => void;

/**
 * Drives the detector from `ros2 lifecycle set` so that the answer tells the truth.
 *
 * rclnodejs runs transition callbacks synchronously and answers the change_state service
 * straight after them, but loading the models takes a second and is asynchronous. Returning
 * "success" before the load finished would report `inactive` for a node whose models then fail
 * to load. So each change_state request first does the transition's work (awaited, one request
 * at a time), then hands the request to rclnodejs's own handler, whose callback reports how the
 * work ended: a configure that could not load the models answers failure, logs the reason, and
 * leaves the node unconfigured, as rclcpp's blocking callbacks would. While the work runs,
 * `ros2 lifecycle get` still shows the start state.
 *
 * This replaces rclnodejs's private `_onChangeState` on the instance (checked at start-up).
 */
export function serveLifecycle(
  node: RosLifecycleNode,
  detector: DetectorNode,
  logger: RosLogger,
): void {
  const instance = node as unknown as { _onChangeState?: unknown };
  if (typeof instance._onChangeState !== 'function') {
    throw new Error(
      "this rclnodejs has no LifecycleNode._onChangeState (rclnodejs 2.x has); install the rclnodejs version in package.json's lock file",
    );
  }
  const rclHandler = instance._onChangeState as ChangeStateHandler;
  // rclnodejs's State has `id` and `label` (its typings declare an asMessage() it lacks).
  const state = (): { id: number; label: string } =>
    node.currentState as unknown as { id: number; label: string };
  /** How the last transition's work ended, for rclnodejs's synchronous callback to report. */
  let outcome: (typeof CallbackReturn)[keyof typeof CallbackReturn] = CallbackReturn.success;
  const report = (): typeof outcome => outcome;
  node.registerOnConfigure(report);
  node.registerOnActivate(report);
  node.registerOnDeactivate(report);
  node.registerOnCleanup(report);
  node.registerOnShutdown(report);

  const work: Record<Label, () => Promise<void> | void> = {
    configure: () => detector.configure(),
    activate: () => detector.activate(),
    deactivate: () => detector.deactivate(),
    cleanup: () => detector.cleanup(),
    shutdown: () => detector.shutdown(),
  };

  let queue = Promise.resolve();
  const handle = async (
    request: ChangeStateRequest,
    response: ChangeStateResponse,
  ): Promise<void> => {
    const label = transitionLabel(request.transition);
    if (label === undefined || !STARTS[label].includes(state().id)) {
      logger.warn(
        `refused lifecycle transition '${request.transition.label || request.transition.id}' in state '${state().label}'`,
      );
      const result = response.template;
      result.success = false;
      response.send(result);
      return;
    }
    try {
      await work[label]();
      outcome = CallbackReturn.success;
    } catch (error) {
      outcome = CallbackReturn.failure;
      logger.error(
        `${label} failed, staying '${state().label}': ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    rclHandler.call(node, request, response);
    logger.info(`lifecycle: ${label} -> ${state().label}`);
  };
  instance._onChangeState = (request: ChangeStateRequest, response: ChangeStateResponse) => {
    queue = queue
      .then(() => handle(request, response))
      .catch((error: unknown) => {
        logger.error(
          `lifecycle transition failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
  };
}

function transitionLabel(transition: { id: number; label: string }): Label | undefined {
  if (transition.label !== '') {
    return transition.label in STARTS ? (transition.label as Label) : undefined;
  }
  return LABEL_BY_ID[transition.id];
}
