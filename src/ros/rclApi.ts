/**
 * The part of rclnodejs this package uses, as types taken from rclnodejs's own declarations, so
 * the node and its test double (test/support/fakeRclnodejs.ts) cannot drift from the library.
 * Type-only: importing this file loads nothing.
 */
import type * as rclnodejs from 'rclnodejs';

/** Methods of rclnodejs.Node the detector node calls. */
export type RosNode = Pick<
  rclnodejs.Node,
  | 'name'
  | 'namespace'
  | 'getLogger'
  | 'now'
  | 'createSubscription'
  | 'destroySubscription'
  | 'createPublisher'
  | 'destroyPublisher'
  | 'declareParameter'
  | 'getParameter'
  | 'addOnSetParametersCallback'
  | 'addPreSetParametersCallback'
  | 'getPublishersInfoByTopic'
  | 'resolveTopicName'
>;

/** What the runner adds on top: spin and destroy. */
export type RosRunnableNode = RosNode &
  Pick<rclnodejs.Node, 'spin' | 'destroy' | 'getFullyQualifiedName' | 'getClock'>;

/** What the lifecycle server uses of rclnodejs.lifecycle.LifecycleNode: its state and callbacks. */
export type RosLifecycleNode = Pick<
  rclnodejs.lifecycle.LifecycleNode,
  | 'currentState'
  | 'registerOnConfigure'
  | 'registerOnActivate'
  | 'registerOnDeactivate'
  | 'registerOnCleanup'
  | 'registerOnShutdown'
  | 'registerOnError'
  | 'deactivate'
>;

/** The classes of the rclnodejs module the node constructs (pure JavaScript in rclnodejs: no binding needed). */
export type RclClasses = Pick<
  typeof rclnodejs,
  'Parameter' | 'ParameterDescriptor' | 'FloatingPointRange' | 'IntegerRange' | 'QoS'
>;

/** The whole rclnodejs module as the runner uses it. */
export type RclModule = RclClasses &
  Pick<
    typeof rclnodejs,
    | 'init'
    | 'shutdown'
    | 'isShutdown'
    | 'removeSignalHandlers'
    | 'Node'
    | 'NodeOptions'
    | 'DistroUtils'
    | 'Time'
    | 'lifecycle'
  >;

/**
 * A message type as createPublisher takes it. rclnodejs narrows this to the interfaces it
 * generated typings for when it was built (types/interfaces.d.ts, written by `npm rebuild
 * rclnodejs` with ROS sourced), so this package's own messages (mobilenet_ros/msg/*) are in
 * it only after they were installed and generated; their names are cast to this type.
 */
export type RosMessageType = Parameters<RosNode['createPublisher']>[0];
export type RosPublisher = ReturnType<RosNode['createPublisher']>;
export type RosSubscription = ReturnType<RosNode['createSubscription']>;
export type RosParameter = rclnodejs.Parameter;
export type RosParameterDescriptor = rclnodejs.ParameterDescriptor;
export type RosLogger = ReturnType<RosNode['getLogger']>;
export type RosQoS = rclnodejs.QoS;
/**
 * rcl_interfaces/msg/SetParametersResult, what an on-set callback returns. Spelled out: rclnodejs
 * types it through its generated interfaces (types/interfaces.d.ts), which exist only after
 * `npm rebuild rclnodejs` with ROS sourced.
 */
export interface SetParametersResult {
  successful: boolean;
  reason: string;
}

/** rclnodejs.ParameterType values (a const enum in the typings, so spelled out here). */
export const ParameterTypes = {
  bool: 1 as rclnodejs.ParameterType,
  integer: 2 as rclnodejs.ParameterType,
  double: 3 as rclnodejs.ParameterType,
  string: 4 as rclnodejs.ParameterType,
  stringArray: 9 as rclnodejs.ParameterType,
} as const;

/** rclnodejs.lifecycle.CallbackReturnCode values (a const enum in the typings). */
export const CallbackReturn = {
  success: 97 as rclnodejs.lifecycle.CallbackReturnCode,
  failure: 98 as rclnodejs.lifecycle.CallbackReturnCode,
  error: 99 as rclnodejs.lifecycle.CallbackReturnCode,
} as const;

/**
 * A publisher's subscriber count. rclnodejs 2.2's typings declare `subscriptionCount()` as a
 * method, but its lib/publisher.js implements a getter; accept both so neither breaks.
 */
export function subscriberCount(publisher: RosPublisher): number {
  const value: unknown = (publisher as unknown as { subscriptionCount: unknown }).subscriptionCount;
  const count: unknown =
    typeof value === 'function' ? (value as () => unknown).call(publisher) : value;
  return typeof count === 'number' ? count : 0;
}

/** One entry of getPublishersInfoByTopic, as this package uses it (typed `object` in rclnodejs). */
export interface TopicEndpointInfo {
  readonly node_name: string;
  readonly node_namespace: string;
  readonly topic_type: string;
  readonly qos: {
    readonly reliability: number;
    readonly durability: number;
    readonly depth: number;
    readonly history: number;
  };
}

/**
 * Reads an endpoint info object defensively. rclnodejs's binding (rcl_utilities.cpp,
 * ConvertToJSTopicEndpoint) names the QoS `qos_profile`; the real graph showed it (the test double
 * had said `qos`, and the QoS warning never fired on a robot).
 */
export function toEndpointInfo(value: object): TopicEndpointInfo | undefined {
  const v = value as Partial<Omit<TopicEndpointInfo, 'qos'>> & { qos_profile?: unknown };
  if (
    typeof v.node_name !== 'string' ||
    typeof v.qos_profile !== 'object' ||
    v.qos_profile === null
  )
    return undefined;
  return {
    node_name: v.node_name,
    node_namespace: typeof v.node_namespace === 'string' ? v.node_namespace : '',
    topic_type: typeof v.topic_type === 'string' ? v.topic_type : '',
    qos: v.qos_profile as TopicEndpointInfo['qos'],
  };
}
