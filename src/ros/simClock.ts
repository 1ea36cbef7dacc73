import { toRosQos } from './qosProfiles.js';
import type { RclModule, RosRunnableNode } from './rclApi.js';

/** rosgraph_msgs/msg/Clock as it arrives. */
interface ClockMessage {
  clock: { sec: number; nanosec: number };
}

/**
 * Feeds /clock to the node's ROS clock with a best-effort subscription.
 *
 * `ros2 bag play --clock` (and rclcpp's ClockQoS generally) publishes /clock best effort, and
 * rclnodejs 2.2's time source subscribes reliable, which matches no best-effort publisher: with
 * use_sim_time the node's clock then stays at zero (measured: diagnostics stamped 0.0 during a
 * whole bag). A best-effort subscription receives from reliable and best-effort publishers
 * alike, as rclcpp's own time source does. Call it when use_sim_time is true at start.
 */
export function followSimClock(node: RosRunnableNode, rcl: RclModule): void {
  const clock = node.getClock() as unknown as { rosTimeOverride: unknown };
  node.createSubscription(
    'rosgraph_msgs/msg/Clock',
    '/clock',
    { qos: toRosQos(rcl, { reliability: 'best_effort', durability: 'volatile', depth: 1 }) },
    (message: unknown) => {
      clock.rosTimeOverride = rcl.Time.fromMsg((message as ClockMessage).clock);
    },
  );
}
