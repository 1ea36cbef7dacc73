import { errorText } from '../errors.js';
import type { MobilenetRosError } from '../errors.js';
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
 *
 * A failure that will not recover while active (the model's thread died) goes through
 * ErrorProcessing, as an rclcpp node's would: the returned `fail` releases the models, then
 * triggers deactivate with the callback answering ERROR, so rcl moves Deactivating ->
 * ErrorProcessing -> (the error callback succeeds) -> unconfigured, publishing each transition.
 * A system manager sees the node fall back to unconfigured and may configure it again.
 */
export function serveLifecycle(
  node: RosLifecycleNode,
  detector: DetectorNode,
  logger: RosLogger,
): { fail: (error: MobilenetRosError) => void } {
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
  // ErrorProcessing succeeds: the models were already released, so unconfigured is the truth.
  node.registerOnError(() => CallbackReturn.success);

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
      logger.error(`${label} failed, staying '${state().label}': ${errorText(error)}`);
    }
    rclHandler.call(node, request, response);
    logger.info(`lifecycle: ${label} -> ${state().label}`);
  };
  const enqueue = (step: () => Promise<void>): void => {
    queue = queue.then(step).catch((error: unknown) => {
      logger.error(`lifecycle transition failed: ${errorText(error)}`);
    });
  };
  instance._onChangeState = (request: ChangeStateRequest, response: ChangeStateResponse) =>
    enqueue(() => handle(request, response));

  const fail = (error: MobilenetRosError): void =>
    enqueue(async () => {
      if (state().id !== State.active) return;
      // Release what is left of the models before rcl reports the node unconfigured.
      await detector.deactivate();
      await detector.cleanup();
      outcome = CallbackReturn.error;
      try {
        node.deactivate();
      } finally {
        outcome = CallbackReturn.success;
      }
      logger.error(
        `lifecycle: [${error.code}] processing failed for good; deactivate -> ErrorProcessing -> ` +
          `${state().label}. Configure and activate the node to start again`,
      );
    });
  return { fail };
}

function transitionLabel(transition: { id: number; label: string }): Label | undefined {
  if (transition.label !== '') {
    return transition.label in STARTS ? (transition.label as Label) : undefined;
  }
  return LABEL_BY_ID[transition.id];
}
