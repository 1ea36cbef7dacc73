import { parseCameras, type CameraConfig } from './cameraConfig.js';
import { ConfigReader } from './configReader.js';
import { qosSettings } from './qosConfig.js';
import { readSettings } from './settings/readSettings.js';
import { setting } from './settings/setting.js';
import type { SettingValues } from './settings/settingValues.js';

// The parts of RosConfig declared in their own files, for the node to import with it.
export { inputTopic, type CameraConfig, type Transport } from './cameraConfig.js';
export type { Durability, QosConfig, Reliability } from './qosConfig.js';

/** The `outputs:` settings: output topics and their QoS. Relative topics are inside the node's namespace. */
export const OUTPUTS_SETTINGS = {
  detections_topic: setting({
    kind: 'string',
    format: 'topic',
    default: 'detections',
    description: 'vision_msgs/Detection2DArray output',
  }),
  labels_topic: setting({
    kind: 'string',
    format: 'topic',
    default: 'detections/labels',
    description: 'vision_msgs/LabelInfo output (transient local)',
  }),
  // When the face branch runs.
  faces_topic: setting({
    kind: 'string',
    format: 'topic',
    default: 'faces',
    description: 'mobilenet_ros/FaceArray output',
  }),
  face_detections_topic: setting({
    kind: 'string',
    format: 'topic',
    default: 'faces/detections',
    description: 'the faces as vision_msgs/Detection2DArray',
  }),
  // Where diagnostic_aggregator listens.
  diagnostics_topic: setting({
    kind: 'string',
    format: 'topic',
    default: '/diagnostics',
    description: 'diagnostic_msgs/DiagnosticArray output',
  }),
  diagnostics_period_s: setting({
    kind: 'double',
    range: [0.1, 60],
    default: 1,
    description: 'seconds between diagnostics',
  }),
  overlay: setting({
    kind: 'bool',
    default: true,
    description: 'create debug overlay publishers (images are rendered only while subscribed)',
  }),
  // Must hold '{camera}' when there are several cameras (checked by parseRosConfig).
  overlay_topic: setting({
    kind: 'string',
    format: 'topic_template',
    default: 'detections/overlay/{camera}',
    description: "overlay topic per camera; '{camera}' becomes the camera name",
  }),
  // Checked at activation: without foxglove_msgs the node logs it and goes on without them.
  annotations: setting({
    kind: 'bool',
    default: true,
    description:
      'publish foxglove_msgs/ImageAnnotations per camera when foxglove_msgs is installed (checked at activation)',
  }),
  annotations_topic: setting({
    kind: 'string',
    format: 'topic_template',
    default: 'detections/annotations/{camera}',
    description: "annotations topic per camera; '{camera}' becomes the camera name",
  }),
  qos: qosSettings(
    { reliability: 'reliable', durability: 'volatile', depth: 10 },
    'detections, overlays and annotations',
  ),
} as const;

/** Output topics and their QoS. */
export type OutputsConfig = SettingValues<typeof OUTPUTS_SETTINGS>;

/** The `node:` settings: behaviour of the node itself. */
export const NODE_SETTINGS = {
  qos_warning_after_s: setting({
    kind: 'double',
    range: [1, 600],
    default: 5,
    description: 'warn once when a camera topic has a publisher but nothing arrived for this long',
  }),
  // 1: one frame at a time, taken as late as possible, so it is the freshest there is (with
  // `lookahead`, while the previous one finishes). Measured, 4 cameras at 30 fps on 2 cores:
  // latency p95 45-55 ms with 1 slot and lookahead, 62-65 ms with 2 slots (a second frame waits
  // for the model).
  concurrency: setting({
    kind: 'integer',
    range: [1, 8],
    default: 1,
    description:
      'processing slots across all cameras (1: freshest frames, lowest latency; 2: a second frame waits for the model)',
  }),
  // Timed from running averages so that the next frame is decoded just as the model becomes
  // free: frames/s of a pipelined replay at the latency of one frame at a time. False: the next
  // frame starts when the previous one is published.
  lookahead: setting({
    kind: 'bool',
    default: true,
    dynamic: true,
    description:
      'decode the next frame during the end of the current inference (true: replay frames/s at one-frame latency)',
  }),
  stages: {
    detector: setting({
      kind: 'bool',
      default: true,
      dynamic: true,
      description: 'run the object detector (false: frames are counted, nothing is published)',
    }),
  },
} as const;

/** Behaviour of the node itself. */
export type NodeBehaviourConfig = SettingValues<typeof NODE_SETTINGS>;

/** Everything the ROS node needs beyond the detector settings (see AppConfig). */
export interface RosConfig {
  readonly cameras: readonly CameraConfig[];
  readonly outputs: OutputsConfig;
  readonly node: NodeBehaviourConfig;
}

/** The configuration used when nothing says otherwise: one camera on /camera/image_raw. */
export function defaultRosConfig(): RosConfig {
  return parseRosConfig(undefined, 'defaults');
}

/**
 * Parses the ROS part of a config document (the parameters mapping: keys `cameras`, `outputs`,
 * `node`; other keys belong to parseConfig and are ignored here). The same nested form is what
 * a ROS parameters file holds and what the node rebuilds from its declared parameters:
 *
 * ```yaml
 * cameras:
 *   names: [front, rear]          # empty or absent: one camera from image_topic/transport
 *   image_topic: /camera/image_raw
 *   transport: raw
 *   front: {topic: /front/image_raw, transport: compressed, max_rate_hz: 10.0,
 *           qos: {reliability: reliable, durability: volatile, depth: 5}}
 * outputs: {detections_topic: detections, labels_topic: detections/labels, diagnostics_topic: /diagnostics,
 *           diagnostics_period_s: 1.0, overlay: true, overlay_topic: 'detections/overlay/{camera}',
 *           annotations: true, annotations_topic: 'detections/annotations/{camera}',
 *           qos: {reliability: reliable, durability: volatile, depth: 10}}
 * node: {qos_warning_after_s: 5.0, concurrency: 1, lookahead: true, stages: {detector: true}}
 * ```
 *
 * @throws ConfigError naming the key by its path, the rule and the value found.
 */
export function parseRosConfig(input: unknown, source = 'config'): RosConfig {
  const root = new ConfigReader(input ?? {}, source, '');
  const cameras = parseCameras(root.child('cameras'));
  const out = root.child('outputs');
  const outputs = readSettings(out, OUTPUTS_SETTINGS);
  if (cameras.length > 1) {
    const templates = [
      ['overlay_topic', outputs.overlayTopic],
      ['annotations_topic', outputs.annotationsTopic],
    ] as const;
    for (const [key, topic] of templates) {
      if (!topic.includes('{camera}'))
        throw out.error(key, "must contain '{camera}' when there are several cameras", topic);
    }
  }
  return { cameras, outputs, node: readSettings(root.child('node'), NODE_SETTINGS) };
}

/** The overlay topic of one camera. */
export function overlayTopic(outputs: Pick<OutputsConfig, 'overlayTopic'>, camera: string): string {
  return outputs.overlayTopic.replaceAll('{camera}', camera);
}

/** The ImageAnnotations topic of one camera. */
export function annotationsTopic(
  outputs: Pick<OutputsConfig, 'annotationsTopic'>,
  camera: string,
): string {
  return outputs.annotationsTopic.replaceAll('{camera}', camera);
}
