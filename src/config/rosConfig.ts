import { ConfigReader } from './configReader.js';

/** DDS reliability of an endpoint. */
export type Reliability = 'best_effort' | 'reliable';
/** DDS durability of an endpoint. */
export type Durability = 'volatile' | 'transient_local';

/** Quality of service of one subscription or publisher (history is always keep-last). */
export interface QosConfig {
  readonly reliability: Reliability;
  readonly durability: Durability;
  /** Keep-last depth, in [1, 1000]. */
  readonly depth: number;
}

/** How a camera's images arrive: `raw` sensor_msgs/Image, or `compressed` at `<topic>/compressed`. */
export type Transport = 'raw' | 'compressed';

/** One camera input. */
export interface CameraConfig {
  /** Name used in diagnostics and overlay topics: `[a-z][a-z0-9_]*`. */
  readonly name: string;
  /** The image topic (for `compressed`, the base topic; `/compressed` is appended). */
  readonly topic: string;
  readonly transport: Transport;
  /** Frames per second taken from this camera; 0 = as many as arrive (the default). */
  readonly maxRateHz: number;
  /** Default: sensor data (best effort, volatile, depth 1). */
  readonly qos: QosConfig;
}

/** Output topics and their QoS. */
export interface OutputsConfig {
  /** vision_msgs/Detection2DArray. Default 'detections' (relative: inside the node's namespace). */
  readonly detectionsTopic: string;
  /** vision_msgs/LabelInfo, transient local. Default 'detections/labels'. */
  readonly labelsTopic: string;
  /** mobilenet_ros/FaceArray (when the face branch runs). Default 'faces'. */
  readonly facesTopic: string;
  /** The same faces as vision_msgs/Detection2DArray. Default 'faces/detections'. */
  readonly faceDetectionsTopic: string;
  /** diagnostic_msgs/DiagnosticArray. Default '/diagnostics' (where diagnostic_aggregator listens). */
  readonly diagnosticsTopic: string;
  /** Seconds between diagnostics, in [0.1, 60]. Default 1. */
  readonly diagnosticsPeriodS: number;
  /** Whether debug overlay publishers exist at all. Default true (rendered only while subscribed). */
  readonly overlay: boolean;
  /** Overlay topic per camera; `{camera}` is replaced by the camera name. Default 'detections/overlay/{camera}'. */
  readonly overlayTopic: string;
  /**
   * Publish foxglove_msgs/ImageAnnotations per camera (boxes, labels, faces for Foxglove's Image
   * panel) when rclnodejs has foxglove_msgs (checked at activation; otherwise logged and
   * skipped). Default true.
   */
  readonly annotations: boolean;
  /** Annotations topic per camera; `{camera}` is replaced by the camera name. Default 'detections/annotations/{camera}'. */
  readonly annotationsTopic: string;
  /** QoS of detections and overlays. Default reliable, volatile, depth 10. */
  readonly qos: QosConfig;
}

/** Behaviour of the node itself. */
export interface NodeBehaviourConfig {
  /** Warn once when a camera topic has a publisher but nothing arrived for this many seconds, in [1, 600]. Default 5. */
  readonly qosWarningAfterS: number;
  /**
   * Processing slots across all cameras, in [1, 8]. Default 1: one frame at a time, taken as late
   * as possible, so it is the freshest there is (with `lookahead`, while the previous one
   * finishes). Measured, 4 cameras at 30 fps on 2 cores: latency p95 45-55 ms with 1 slot and
   * lookahead, 62-65 ms with 2 slots (a second frame waits for the model).
   */
  readonly concurrency: number;
  /**
   * Start the next frame while the current one is in inference, timed (from running averages)
   * so that it is decoded just as the model becomes free. Default true: frames/s of a pipelined
   * replay at the latency of one frame at a time. False: the next frame starts when the
   * previous one is published.
   */
  readonly lookahead: boolean;
  /** Which stages run; changeable at run time. */
  readonly stages: { readonly detector: boolean };
}

/** Everything the ROS node needs beyond the detector settings (see AppConfig). */
export interface RosConfig {
  readonly cameras: readonly CameraConfig[];
  readonly outputs: OutputsConfig;
  readonly node: NodeBehaviourConfig;
}

/** Best effort, volatile, keep last 1: what camera drivers publish with (rclcpp's SensorDataQoS). */
export const SENSOR_DATA_QOS: QosConfig = {
  reliability: 'best_effort',
  durability: 'volatile',
  depth: 1,
};

/** The single camera used when `cameras.names` is empty. */
export const DEFAULT_CAMERA_NAME = 'camera';

const CAMERA_NAME = /^[a-z][a-z0-9_]*$/;
/** Keys of `cameras` that are not camera names. */
const CAMERA_SECTION_KEYS = ['names', 'image_topic', 'transport'] as const;
const CAMERA_KEYS = ['topic', 'transport', 'max_rate_hz', 'qos'] as const;
const QOS_KEYS = ['reliability', 'durability', 'depth'] as const;

/** The configuration used when nothing says otherwise: one camera on /camera/image_raw. */
export function defaultRosConfig(): RosConfig {
  return {
    cameras: [
      {
        name: DEFAULT_CAMERA_NAME,
        topic: '/camera/image_raw',
        transport: 'raw',
        maxRateHz: 0,
        qos: SENSOR_DATA_QOS,
      },
    ],
    outputs: {
      detectionsTopic: 'detections',
      labelsTopic: 'detections/labels',
      facesTopic: 'faces',
      faceDetectionsTopic: 'faces/detections',
      diagnosticsTopic: '/diagnostics',
      diagnosticsPeriodS: 1,
      overlay: true,
      overlayTopic: 'detections/overlay/{camera}',
      annotations: true,
      annotationsTopic: 'detections/annotations/{camera}',
      qos: { reliability: 'reliable', durability: 'volatile', depth: 10 },
    },
    node: { qosWarningAfterS: 5, concurrency: 1, lookahead: true, stages: { detector: true } },
  };
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
  const defaults = defaultRosConfig();
  const root = new ConfigReader(input ?? {}, source, '');
  const cams = root.child('cameras');
  const names = cams.stringList('names') ?? [];
  cams.only([...CAMERA_SECTION_KEYS, ...names]);
  const seen = new Set<string>();
  for (const name of names) {
    if (!CAMERA_NAME.test(name) || (CAMERA_SECTION_KEYS as readonly string[]).includes(name)) {
      throw cams.error(
        'names',
        `must hold camera names matching ${CAMERA_NAME.source} (not ${CAMERA_SECTION_KEYS.join(', ')})`,
        name,
      );
    }
    if (seen.has(name)) throw cams.error('names', 'must not repeat a camera name', name);
    seen.add(name);
  }
  const fallback = defaults.cameras[0] as CameraConfig;
  const defaultTopic = cams.topic('image_topic') ?? fallback.topic;
  const defaultTransport = cams.choice('transport', ['raw', 'compressed']) ?? fallback.transport;
  const cameras: CameraConfig[] =
    names.length === 0
      ? [{ ...fallback, topic: defaultTopic, transport: defaultTransport }]
      : names.map((name) => {
          const cam = cams.child(name);
          cam.only(CAMERA_KEYS);
          const topic = cam.topic('topic');
          if (topic === undefined)
            throw cam.error('topic', 'is required for each camera in cameras.names', undefined);
          return {
            name,
            topic,
            transport: cam.choice('transport', ['raw', 'compressed']) ?? 'raw',
            maxRateHz: cam.number('max_rate_hz', 0, 1000) ?? 0,
            qos: parseQos(cam.child('qos'), SENSOR_DATA_QOS),
          };
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

  const out = root.child('outputs');
  out.only([
    'detections_topic',
    'labels_topic',
    'faces_topic',
    'face_detections_topic',
    'diagnostics_topic',
    'diagnostics_period_s',
    'overlay',
    'overlay_topic',
    'annotations',
    'annotations_topic',
    'qos',
  ]);
  const d = defaults.outputs;
  const overlayTopic = out.topic('overlay_topic', true) ?? d.overlayTopic;
  if (cameras.length > 1 && !overlayTopic.includes('{camera}')) {
    throw out.error(
      'overlay_topic',
      "must contain '{camera}' when there are several cameras",
      overlayTopic,
    );
  }
  const annotationsTopic = out.topic('annotations_topic', true) ?? d.annotationsTopic;
  if (cameras.length > 1 && !annotationsTopic.includes('{camera}')) {
    throw out.error(
      'annotations_topic',
      "must contain '{camera}' when there are several cameras",
      annotationsTopic,
    );
  }
  const outputs: OutputsConfig = {
    detectionsTopic: out.topic('detections_topic') ?? d.detectionsTopic,
    labelsTopic: out.topic('labels_topic') ?? d.labelsTopic,
    facesTopic: out.topic('faces_topic') ?? d.facesTopic,
    faceDetectionsTopic: out.topic('face_detections_topic') ?? d.faceDetectionsTopic,
    diagnosticsTopic: out.topic('diagnostics_topic') ?? d.diagnosticsTopic,
    diagnosticsPeriodS: out.number('diagnostics_period_s', 0.1, 60) ?? d.diagnosticsPeriodS,
    overlay: out.boolean('overlay') ?? d.overlay,
    overlayTopic,
    annotations: out.boolean('annotations') ?? d.annotations,
    annotationsTopic,
    qos: parseQos(out.child('qos'), d.qos),
  };

  const node = root.child('node');
  node.only(['qos_warning_after_s', 'concurrency', 'lookahead', 'stages']);
  const stages = node.child('stages');
  stages.only(['detector']);
  return {
    cameras,
    outputs,
    node: {
      qosWarningAfterS:
        node.number('qos_warning_after_s', 1, 600) ?? defaults.node.qosWarningAfterS,
      concurrency: node.integer('concurrency', 1, 8) ?? defaults.node.concurrency,
      lookahead: node.boolean('lookahead') ?? defaults.node.lookahead,
      stages: { detector: stages.boolean('detector') ?? defaults.node.stages.detector },
    },
  };
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

function parseQos(section: ConfigReader, defaults: QosConfig): QosConfig {
  section.only(QOS_KEYS);
  return {
    reliability: section.choice('reliability', ['best_effort', 'reliable']) ?? defaults.reliability,
    durability:
      section.choice('durability', ['volatile', 'transient_local']) ?? defaults.durability,
    depth: section.integer('depth', 1, 1000) ?? defaults.depth,
  };
}
