import { ConfigReader } from './configReader.js';
import { defaultSettings, readSettings } from './settings/readSettings.js';
import { each, setting } from './settings/setting.js';
import type { SettingValues } from './settings/settingValues.js';

/** DDS reliability of an endpoint. */
export const RELIABILITIES = ['best_effort', 'reliable'] as const;
export type Reliability = (typeof RELIABILITIES)[number];
/** DDS durability of an endpoint. */
export const DURABILITIES = ['volatile', 'transient_local'] as const;
export type Durability = (typeof DURABILITIES)[number];

/** How a camera's images arrive: `raw` sensor_msgs/Image, or `compressed` at `<topic>/compressed`. */
export const TRANSPORTS = ['raw', 'compressed'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/**
 * The QoS settings of one subscription or publisher (history is always keep-last), with the
 * defaults of where they are used; `of` says whose QoS it is in the descriptions.
 */
function qosSettings(
  defaults: Readonly<{ reliability: Reliability; durability: Durability; depth: number }>,
  of: string,
) {
  return {
    reliability: setting({
      kind: 'choice',
      choices: RELIABILITIES,
      default: defaults.reliability,
      description: `QoS reliability of ${of}`,
    }),
    durability: setting({
      kind: 'choice',
      choices: DURABILITIES,
      default: defaults.durability,
      description: `QoS durability of ${of}`,
    }),
    depth: setting({
      kind: 'integer',
      range: [1, 1000],
      default: defaults.depth,
      description: `QoS keep-last depth of ${of}`,
    }),
  } as const;
}

/** Quality of service of one subscription or publisher (history is always keep-last). */
export type QosConfig = SettingValues<ReturnType<typeof qosSettings>>;

/** Best effort, volatile, keep last 1: what camera drivers publish with (rclcpp's SensorDataQoS). */
export const SENSOR_DATA_QOS: QosConfig = {
  reliability: 'best_effort',
  durability: 'volatile',
  depth: 1,
};

/** The settings of one camera, `cameras.<name>.*`. */
const CAMERA_SETTINGS = {
  // For `compressed`, the base topic: `/compressed` is appended.
  topic: setting({
    kind: 'string',
    format: 'topic',
    required: true,
    description: 'image topic of this camera (required)',
  }),
  transport: setting({
    kind: 'choice',
    choices: TRANSPORTS,
    default: 'raw',
    description: "'raw' or 'compressed' (subscribes to <topic>/compressed)",
  }),
  max_rate_hz: setting({
    kind: 'double',
    range: [0, 1000],
    default: 0,
    dynamic: true,
    description: 'frames per second taken from this camera; 0 = all',
  }),
  // Sensor data by default: a reliable subscription gets nothing from a best-effort driver.
  qos: qosSettings(SENSOR_DATA_QOS, "this camera's subscription"),
} as const;

/** The single camera's name when `cameras.names` is empty. */
export const DEFAULT_CAMERA_NAME = 'camera';

/** The `cameras:` settings: the camera list, the single camera's topic, each named camera. */
export const CAMERAS_SETTINGS = {
  names: setting({
    kind: 'string_array',
    default: [],
    description:
      "camera names, each configured under cameras.<name>.*; empty: one camera 'camera' from cameras.image_topic/transport",
  }),
  image_topic: setting({
    kind: 'string',
    format: 'topic',
    default: '/camera/image_raw',
    description: 'image topic of the single camera used when cameras.names is empty',
  }),
  transport: setting({
    kind: 'choice',
    choices: TRANSPORTS,
    default: 'raw',
    description:
      "'raw' (sensor_msgs/Image) or 'compressed' (<image_topic>/compressed) for that camera",
  }),
  '<name>': each(CAMERA_SETTINGS),
} as const;

/** One camera input. */
export type CameraConfig = SettingValues<typeof CAMERA_SETTINGS> & {
  /** Used in diagnostics and overlay topics: `[a-z][a-z0-9_]*`. */
  readonly name: string;
};

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

/** The cameras of the `cameras:` mapping: the named ones, or the single one. */
function parseCameras(cams: ConfigReader): CameraConfig[] {
  const section = readSettings(cams, CAMERAS_SETTINGS);
  const sectionKeys = Object.keys(CAMERAS_SETTINGS).filter((k) => k !== '<name>');
  cams.only([...sectionKeys, ...section.names]);
  const cameraName = CAMERAS_SETTINGS['<name>'].name;
  const seen = new Set<string>();
  for (const name of section.names) {
    if (!cameraName.test(name) || sectionKeys.includes(name)) {
      throw cams.error(
        'names',
        `must hold camera names matching ${cameraName.source} (not ${sectionKeys.join(', ')})`,
        name,
      );
    }
    if (seen.has(name)) throw cams.error('names', 'must not repeat a camera name', name);
    seen.add(name);
  }
  // The single camera: cameras.image_topic and transport, a named camera's defaults otherwise.
  const { max_rate_hz, qos } = CAMERA_SETTINGS;
  const cameras: CameraConfig[] =
    section.names.length === 0
      ? [
          {
            name: DEFAULT_CAMERA_NAME,
            topic: section.imageTopic,
            transport: section.transport,
            ...defaultSettings({ max_rate_hz, qos }),
          },
        ]
      : section.names.map((name) => {
          const cam = cams.child(name);
          if (cam.raw('topic') === undefined)
            throw cam.error('topic', 'is required for each camera in cameras.names', undefined);
          return { name, ...readSettings(cam, CAMERA_SETTINGS) };
        });
  const seenTopics = new Map<string, string>();
  for (const camera of cameras) {
    const topic = inputTopic(camera);
    const other = seenTopics.get(topic);
    if (other !== undefined)
      throw cams.error(
        `${camera.name}.topic`,
        `subscribes to ${topic}, as camera '${other}' does`,
        camera.topic,
      );
    seenTopics.set(topic, camera.name);
  }
  return cameras;
}

/** The topic a camera subscribes to: `<topic>/compressed` for the compressed transport (image_transport's convention). */
export function inputTopic(camera: Pick<CameraConfig, 'topic' | 'transport'>): string {
  return camera.transport === 'compressed'
    ? `${camera.topic.replace(/\/+$/, '')}/compressed`
    : camera.topic;
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
