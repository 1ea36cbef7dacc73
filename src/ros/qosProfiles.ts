import type { Durability, QosConfig, Reliability } from '../config/rosConfig.js';
import type { RclClasses, RosQoS, TopicEndpointInfo } from './rclApi.js';

// rmw enum values (rmw/types.h), as rclnodejs passes them through.
const KEEP_LAST = 1;
const RELIABILITY = { reliable: 1, best_effort: 2 } as const;
const DURABILITY = { transient_local: 1, volatile: 2 } as const;

/** An rclnodejs QoS object for a config: keep last `depth`, the given reliability and durability. */
export function toRosQos(rcl: RclClasses, qos: QosConfig): RosQoS {
  return new rcl.QoS(
    KEEP_LAST,
    qos.depth,
    RELIABILITY[qos.reliability],
    DURABILITY[qos.durability],
  );
}

/** Transient local, reliable, keep last 1: latched topics such as LabelInfo. */
export const LATCHED_QOS: QosConfig = {
  reliability: 'reliable',
  durability: 'transient_local',
  depth: 1,
};

function reliabilityName(value: number): Reliability | 'system_default' | 'unknown' {
  return value === 1
    ? 'reliable'
    : value === 2
      ? 'best_effort'
      : value === 0
        ? 'system_default'
        : 'unknown';
}

function durabilityName(value: number): Durability | 'system_default' | 'unknown' {
  return value === 1
    ? 'transient_local'
    : value === 2
      ? 'volatile'
      : value === 0
        ? 'system_default'
        : 'unknown';
}

/**
 * Explains why a subscription with `ours` gets nothing from these publishers: the DDS
 * request/offer rules (a reliable subscription needs a reliable publisher; a transient-local
 * subscription needs a transient-local publisher), or, when the QoS is compatible, the other
 * usual causes. Pure, for the warning that the node prints once per camera.
 */
export function describeSilentTopic(
  topic: string,
  seconds: number,
  ours: QosConfig,
  publishers: readonly TopicEndpointInfo[],
): string {
  const lines = publishers.map((p) => {
    const reliability = reliabilityName(p.qos.reliability);
    const durability = durabilityName(p.qos.durability);
    const problems: string[] = [];
    if (ours.reliability === 'reliable' && reliability === 'best_effort') {
      problems.push(
        "it offers best_effort but we request reliable: set this camera's qos.reliability to best_effort",
      );
    }
    if (ours.durability === 'transient_local' && durability === 'volatile') {
      problems.push(
        "it offers volatile but we request transient_local: set this camera's qos.durability to volatile",
      );
    }
    const name = `${p.node_namespace.replace(/\/$/, '')}/${p.node_name}`;
    const offered = `reliability=${reliability}, durability=${durability}, depth=${p.qos.depth}`;
    return `  ${name} (${p.topic_type}) offers ${offered}${problems.length > 0 ? `; incompatible: ${problems.join('; ')}` : '; compatible'}`;
  });
  const incompatible = lines.some((l) => l.includes('incompatible'));
  return [
    `no message on ${topic} for ${seconds.toFixed(0)} s although ${publishers.length} publisher(s) exist; ` +
      `we subscribe with reliability=${ours.reliability}, durability=${ours.durability}, depth=${ours.depth}`,
    ...lines,
    incompatible
      ? 'fix the QoS above (cameras.<name>.qos.*) so that the publisher offers at least what we request'
      : 'the QoS is compatible: check the message type, that the publisher actually publishes, and the network (ROS_DOMAIN_ID, RMW)',
  ].join('\n');
}
