import { DETECTOR_MODEL_FORMS, type AppConfig } from '../config/detectorConfig.js';
import { defaultConfig, parseConfig } from '../config/parseConfig.js';
import { defaultRosConfig, parseRosConfig, type RosConfig } from '../config/rosConfig.js';
import { JPEG_REDUCED_DECODE_MODES } from '../config/imageConfig.js';
import { MAX_PIXELS_LIMIT, MAX_SIDE_LIMIT } from '../image/imageLimits.js';
import { ConfigError } from '../errors.js';
import { isWildcardKey, type ResolvedOverride } from './parameterOverrides.js';
import {
  ParameterTypes,
  type RclClasses,
  type RosLogger,
  type RosNode,
  type RosParameter,
  type SetParametersResult,
} from './rclApi.js';

/** Parameters the node has that rclnodejs declares and handles itself (the clock source). */
const RCL_OWN_PARAMETERS: ReadonlySet<string> = new Set(['use_sim_time']);

/** Value kinds of the parameters this node declares. */
export type ParameterKind = 'bool' | 'integer' | 'double' | 'string' | 'string_array';

/** One declared parameter: its ROS name (dotted), type, default, range and whether it may change at run time. */
export interface ParameterSpec {
  readonly name: string;
  readonly kind: ParameterKind;
  readonly defaultValue: boolean | number | string | readonly string[];
  readonly description: string;
  /** Inclusive bounds of a number, shown by `ros2 param describe` and enforced by rclnodejs. */
  readonly range?: readonly [number, number];
  /** Allowed strings (listed in the descriptor's additional constraints; checked by the config parser). */
  readonly choices?: readonly string[];
  /** Changeable while running (thresholds, stages, rates). Others are read-only after start. */
  readonly dynamic: boolean;
}

/** Both configs, as the node runs with them. */
export interface NodeSettings {
  readonly app: AppConfig;
  readonly ros: RosConfig;
}

/**
 * Applies validated new settings; throws (with a message for the caller of `ros2 param set`) to
 * refuse them, in which case the old settings stay.
 */
export type SettingsListener = (next: NodeSettings, previous: NodeSettings) => void;

const KIND_TYPES = {
  bool: ParameterTypes.bool,
  integer: ParameterTypes.integer,
  double: ParameterTypes.double,
  string: ParameterTypes.string,
  string_array: ParameterTypes.stringArray,
} as const;

/** Parameters that exist whatever the camera list is. */
export function staticParameterSpecs(): ParameterSpec[] {
  const app = defaultConfig();
  const ros = defaultRosConfig();
  const cam = ros.cameras[0];
  const o = ros.outputs;
  return [
    {
      name: 'models_dir',
      kind: 'string',
      defaultValue: app.modelsDir,
      description: 'folder with manifest.json and the prepared models',
      dynamic: false,
    },
    {
      name: 'detector.model_form',
      kind: 'string',
      defaultValue: app.detector.modelForm,
      choices: DETECTOR_MODEL_FORMS,
      description:
        "'auto' (the fastest integer form whose outputs equal qdq on this CPU, timed once and cached); " +
        "'qdq' reproduces the quantized model; 'qdq_s8' the same with int8 weights; 'float' dequantized weights",
      dynamic: false,
    },
    {
      name: 'detector.score_threshold',
      kind: 'double',
      defaultValue: app.detector.scoreThreshold,
      range: [0, 1],
      description: 'minimum score of a published detection',
      dynamic: true,
    },
    {
      name: 'detector.iou_threshold',
      kind: 'double',
      defaultValue: app.detector.iouThreshold,
      range: [0, 1],
      description: 'NMS overlap threshold',
      dynamic: true,
    },
    {
      name: 'detector.nms',
      kind: 'string',
      defaultValue: app.detector.nms,
      choices: ['class_agnostic', 'per_class'],
      description: "NMS over each box's best class, or per class",
      dynamic: true,
    },
    {
      name: 'detector.max_detections',
      kind: 'integer',
      defaultValue: app.detector.maxDetections,
      range: [1, 100],
      description: 'detections per frame',
      dynamic: true,
    },
    {
      name: 'detector.resize',
      kind: 'string',
      defaultValue: app.detector.resize,
      choices: ['stretch', 'letterbox'],
      description: 'how a frame becomes the model input',
      dynamic: true,
    },
    {
      name: 'inference.threads',
      kind: 'integer',
      defaultValue: app.inference.threads,
      range: [1, 64],
      description: 'ONNX Runtime intra-op threads per model',
      dynamic: false,
    },
    {
      name: 'inference.spin_wait',
      kind: 'bool',
      defaultValue: app.inference.spinWait,
      description: "ONNX Runtime's idle threads busy-wait (faster alone, slower beside decoding)",
      dynamic: false,
    },
    {
      name: 'image.max_side',
      kind: 'integer',
      defaultValue: app.image.maxSide,
      range: [1, MAX_SIDE_LIMIT],
      description: 'largest frame width or height; larger frames are refused before decoding',
      dynamic: false,
    },
    {
      name: 'image.max_pixels',
      kind: 'integer',
      defaultValue: app.image.maxPixels,
      range: [1, MAX_PIXELS_LIMIT],
      description: 'largest frame width x height; larger frames are refused before decoding',
      dynamic: false,
    },
    {
      name: 'image.jpeg_reduced_decode',
      kind: 'string',
      defaultValue: app.image.jpegReducedDecode,
      choices: JPEG_REDUCED_DECODE_MODES,
      description:
        "'auto': decode large JPEGs at 1/2, 1/4 or 1/8 scale, down to twice the detector input, when no face branch, classifier or overlay needs full resolution",
      dynamic: false,
    },
    {
      name: 'tracking.enabled',
      kind: 'bool',
      defaultValue: app.tracking.enabled,
      description:
        'track objects per camera; Detection2D.id carries the track id of confirmed tracks',
      dynamic: false,
    },
    {
      name: 'tracking.high_score',
      kind: 'double',
      defaultValue: app.tracking.highScore,
      range: [0, 1],
      description: 'score at which a detection is matched first and may start a track',
      dynamic: false,
    },
    {
      name: 'tracking.low_score',
      kind: 'double',
      defaultValue: app.tracking.lowScore,
      range: [0, 1],
      description:
        'weakest detection that may continue a confirmed track (published with its id), at most high_score',
      dynamic: false,
    },
    {
      name: 'tracking.match_iou',
      kind: 'double',
      defaultValue: app.tracking.matchIou,
      range: [0.05, 1],
      description: "least IoU of a detection with a track's predicted box to match it",
      dynamic: false,
    },
    {
      name: 'tracking.min_hits',
      kind: 'integer',
      defaultValue: app.tracking.minHits,
      range: [1, 100],
      description: 'matched frames before a track is confirmed and gets an id',
      dynamic: false,
    },
    {
      name: 'tracking.max_age_s',
      kind: 'double',
      defaultValue: app.tracking.maxAgeS,
      range: [0, 60],
      description: 'seconds (header stamps) a confirmed track is kept without a match',
      dynamic: false,
    },
    {
      name: 'tracking.identity_window',
      kind: 'integer',
      defaultValue: app.tracking.identityWindow,
      range: [1, 100],
      description: 'faces remembered per person track for its identity vote',
      dynamic: false,
    },
    {
      name: 'tracking.identity_min_votes',
      kind: 'integer',
      defaultValue: app.tracking.identityMinVotes,
      range: [1, 100],
      description:
        'matches of one person in the window before the track takes the name, at most identity_window',
      dynamic: false,
    },
    {
      name: 'tracking.identity_margin',
      kind: 'double',
      defaultValue: app.tracking.identityMargin,
      range: [0, 1],
      description:
        "lead of the winning name's weight over the runner-up's, as a fraction of the window's",
      dynamic: false,
    },
    {
      name: 'tracking.identity_hold_s',
      kind: 'double',
      defaultValue: app.tracking.identityHoldS,
      range: [0, 600],
      description:
        'seconds (header stamps) a track keeps its name after the last face that matched it',
      dynamic: false,
    },
    {
      name: 'faces.enabled',
      kind: 'bool',
      defaultValue: app.faces.enabled,
      description: 'run the face branch (detection, alignment, embeddings, attributes, gallery)',
      dynamic: false,
    },
    {
      name: 'faces.region',
      kind: 'string',
      defaultValue: app.faces.region,
      choices: ['frame', 'persons'],
      description: "look for faces in the whole 'frame' or only inside 'persons' detections",
      dynamic: false,
    },
    {
      name: 'faces.score_threshold',
      kind: 'double',
      defaultValue: app.faces.scoreThreshold,
      range: [0, 1],
      description: 'minimum face detector score',
      dynamic: false,
    },
    {
      name: 'faces.iou_threshold',
      kind: 'double',
      defaultValue: app.faces.iouThreshold,
      range: [0, 1],
      description: 'face NMS overlap threshold',
      dynamic: false,
    },
    {
      name: 'faces.max_faces',
      kind: 'integer',
      defaultValue: app.faces.maxFaces,
      range: [1, 64],
      description: 'faces per frame',
      dynamic: false,
    },
    {
      name: 'faces.attributes',
      kind: 'bool',
      defaultValue: app.faces.attributes,
      description: 'estimate age and gender',
      dynamic: false,
    },
    {
      name: 'faces.gallery',
      kind: 'string',
      defaultValue: app.faces.gallery,
      description: 'identity gallery file (mobilenet-ros faces enroll)',
      dynamic: false,
    },
    {
      name: 'faces.match_threshold',
      kind: 'double',
      defaultValue: app.faces.matchThreshold,
      range: [-1, 1],
      description: 'minimum cosine similarity of a gallery match',
      dynamic: false,
    },
    {
      name: 'faces.publish_embeddings',
      kind: 'bool',
      defaultValue: app.faces.publishEmbeddings,
      description: 'put embeddings in /faces (false: identities only)',
      dynamic: false,
    },
    {
      name: 'faces.embedding_form',
      kind: 'string',
      defaultValue: app.faces.embeddingForm,
      choices: ['int8', 'float'],
      description: "MobileFaceNet 'int8' (quantized, faster) or 'float'; galleries record which",
      dynamic: false,
    },
    {
      name: 'outputs.faces_topic',
      kind: 'string',
      defaultValue: o.facesTopic,
      description: 'mobilenet_ros/FaceArray output',
      dynamic: false,
    },
    {
      name: 'outputs.face_detections_topic',
      kind: 'string',
      defaultValue: o.faceDetectionsTopic,
      description: 'the faces as vision_msgs/Detection2DArray',
      dynamic: false,
    },
    {
      name: 'cameras.names',
      kind: 'string_array',
      defaultValue: [],
      description:
        "camera names, each configured under cameras.<name>.*; empty: one camera 'camera' from cameras.image_topic/transport",
      dynamic: false,
    },
    {
      name: 'cameras.image_topic',
      kind: 'string',
      defaultValue: cam?.topic ?? '/camera/image_raw',
      description: 'image topic of the single camera used when cameras.names is empty',
      dynamic: false,
    },
    {
      name: 'cameras.transport',
      kind: 'string',
      defaultValue: cam?.transport ?? 'raw',
      choices: ['raw', 'compressed'],
      description:
        "'raw' (sensor_msgs/Image) or 'compressed' (<image_topic>/compressed) for that camera",
      dynamic: false,
    },
    {
      name: 'outputs.detections_topic',
      kind: 'string',
      defaultValue: o.detectionsTopic,
      description: 'vision_msgs/Detection2DArray output',
      dynamic: false,
    },
    {
      name: 'outputs.labels_topic',
      kind: 'string',
      defaultValue: o.labelsTopic,
      description: 'vision_msgs/LabelInfo output (transient local)',
      dynamic: false,
    },
    {
      name: 'outputs.diagnostics_topic',
      kind: 'string',
      defaultValue: o.diagnosticsTopic,
      description: 'diagnostic_msgs/DiagnosticArray output',
      dynamic: false,
    },
    {
      name: 'outputs.diagnostics_period_s',
      kind: 'double',
      defaultValue: o.diagnosticsPeriodS,
      range: [0.1, 60],
      description: 'seconds between diagnostics',
      dynamic: false,
    },
    {
      name: 'outputs.overlay',
      kind: 'bool',
      defaultValue: o.overlay,
      description: 'create debug overlay publishers (images are rendered only while subscribed)',
      dynamic: false,
    },
    {
      name: 'outputs.overlay_topic',
      kind: 'string',
      defaultValue: o.overlayTopic,
      description: "overlay topic per camera; '{camera}' becomes the camera name",
      dynamic: false,
    },
    {
      name: 'outputs.annotations',
      kind: 'bool',
      defaultValue: o.annotations,
      description:
        'publish foxglove_msgs/ImageAnnotations per camera when foxglove_msgs is installed (checked at activation)',
      dynamic: false,
    },
    {
      name: 'outputs.annotations_topic',
      kind: 'string',
      defaultValue: o.annotationsTopic,
      description: "annotations topic per camera; '{camera}' becomes the camera name",
      dynamic: false,
    },
    {
      name: 'outputs.qos.reliability',
      kind: 'string',
      defaultValue: o.qos.reliability,
      choices: ['reliable', 'best_effort'],
      description: 'QoS of detections, overlays and annotations',
      dynamic: false,
    },
    {
      name: 'outputs.qos.durability',
      kind: 'string',
      defaultValue: o.qos.durability,
      choices: ['volatile', 'transient_local'],
      description: 'QoS of detections, overlays and annotations',
      dynamic: false,
    },
    {
      name: 'outputs.qos.depth',
      kind: 'integer',
      defaultValue: o.qos.depth,
      range: [1, 1000],
      description: 'QoS keep-last depth of detections, overlays and annotations',
      dynamic: false,
    },
    {
      name: 'node.qos_warning_after_s',
      kind: 'double',
      defaultValue: ros.node.qosWarningAfterS,
      range: [1, 600],
      description:
        'warn once when a camera topic has a publisher but nothing arrived for this long',
      dynamic: false,
    },
    {
      name: 'node.concurrency',
      kind: 'integer',
      defaultValue: ros.node.concurrency,
      range: [1, 8],
      description:
        'processing slots across all cameras (1: freshest frames, lowest latency; 2: a second frame waits for the model)',
      dynamic: false,
    },
    {
      name: 'node.lookahead',
      kind: 'bool',
      defaultValue: ros.node.lookahead,
      description:
        'decode the next frame during the end of the current inference (true: replay frames/s at one-frame latency)',
      dynamic: true,
    },
    {
      name: 'node.stages.detector',
      kind: 'bool',
      defaultValue: ros.node.stages.detector,
      description: 'run the object detector (false: frames are counted, nothing is published)',
      dynamic: true,
    },
  ];
}

/** Parameters of one camera, `cameras.<name>.*`. */
export function cameraParameterSpecs(name: string): ParameterSpec[] {
  const p = `cameras.${name}`;
  return [
    {
      name: `${p}.topic`,
      kind: 'string',
      defaultValue: '',
      description: `image topic of camera '${name}' (required)`,
      dynamic: false,
    },
    {
      name: `${p}.transport`,
      kind: 'string',
      defaultValue: 'raw',
      choices: ['raw', 'compressed'],
      description: "'raw' or 'compressed' (subscribes to <topic>/compressed)",
      dynamic: false,
    },
    {
      name: `${p}.max_rate_hz`,
      kind: 'double',
      defaultValue: 0,
      range: [0, 1000],
      description: 'frames per second taken from this camera; 0 = all',
      dynamic: true,
    },
    {
      name: `${p}.qos.reliability`,
      kind: 'string',
      defaultValue: 'best_effort',
      choices: ['best_effort', 'reliable'],
      description: 'input QoS reliability (sensor data default: best_effort)',
      dynamic: false,
    },
    {
      name: `${p}.qos.durability`,
      kind: 'string',
      defaultValue: 'volatile',
      choices: ['volatile', 'transient_local'],
      description: 'input QoS durability',
      dynamic: false,
    },
    {
      name: `${p}.qos.depth`,
      kind: 'integer',
      defaultValue: 1,
      range: [1, 1000],
      description: 'input QoS keep-last depth',
      dynamic: false,
    },
  ];
}

/**
 * The node's parameters: declares them with descriptors (type, range, description, read-only),
 * reads the values ROS resolved (defaults, --params-file, -p), parses them with the same parsers
 * as `--config` files, and validates run-time changes.
 */
export class NodeParameters {
  private readonly specs = new Map<string, ParameterSpec>();
  private values = new Map<string, unknown>();
  private current: NodeSettings;
  private readonly listeners: SettingsListener[] = [];
  /** A refusal found by preCheck, for onSet of the same set to return (see preCheck). */
  private pendingRefusal: string | undefined;

  private constructor(
    private readonly node: RosNode,
    private readonly rcl: RclClasses,
    private readonly logger: RosLogger,
  ) {
    this.current = undefined as unknown as NodeSettings;
  }

  /**
   * Declares every parameter, with the value the node was given where there is one, and parses
   * the result.
   * @param overrides the values resolved for this node from --params-file and -p
   *   (resolveParameterOverrides); rclnodejs's own partial resolution is bypassed.
   * @throws ConfigError naming the parameter (and the params-file key it came from) when a value
   *   given to the node is invalid.
   */
  static declare(
    node: RosNode,
    rcl: RclClasses,
    overrides: ReadonlyMap<string, ResolvedOverride> = new Map(),
  ): NodeParameters {
    const params = new NodeParameters(node, rcl, node.getLogger());
    for (const spec of staticParameterSpecs()) params.declareOne(spec, overrides.get(spec.name));
    const names = params.values.get('cameras.names');
    if (Array.isArray(names)) {
      for (const name of names) {
        // Names are checked by the parser below; only declare well-formed ones.
        if (typeof name === 'string' && /^[a-z][a-z0-9_]*$/.test(name)) {
          for (const spec of cameraParameterSpecs(name))
            params.declareOne(spec, overrides.get(spec.name));
        }
      }
    }
    params.current = params.parse(params.values);
    params.warnUnknown(overrides);
    node.addPreSetParametersCallback((list) => params.preCheck(list));
    node.addOnSetParametersCallback((list) => params.onSet(list));
    return params;
  }

  get settings(): NodeSettings {
    return this.current;
  }

  /** Every declared parameter. */
  get declared(): readonly ParameterSpec[] {
    return [...this.specs.values()];
  }

  /** Called with validated new settings on each accepted change; a throw refuses the change. */
  onChange(listener: SettingsListener): void {
    this.listeners.push(listener);
  }

  private declareOne(spec: ParameterSpec, override: ResolvedOverride | undefined): void {
    const type = KIND_TYPES[spec.kind];
    const value = override === undefined ? spec.defaultValue : overrideValue(spec, override);
    const defaultValue =
      spec.kind === 'integer'
        ? BigInt(value as number)
        : typeof value === 'object'
          ? value.slice()
          : value;
    const range =
      spec.range === undefined
        ? undefined
        : spec.kind === 'integer'
          ? new this.rcl.IntegerRange(BigInt(spec.range[0]), BigInt(spec.range[1]), 1n)
          : new this.rcl.FloatingPointRange(spec.range[0], spec.range[1], 0);
    const description =
      spec.choices === undefined
        ? spec.description
        : `${spec.description} (one of: ${spec.choices.join(', ')})`;
    const descriptor = new this.rcl.ParameterDescriptor(
      spec.name,
      type,
      description,
      !spec.dynamic,
      range,
    );
    if (spec.choices !== undefined)
      descriptor.additionalConstraints = `one of: ${spec.choices.join(', ')}`;
    // ignoreOverride: the value above already is the resolved override.
    const declared = this.node.declareParameter(
      new this.rcl.Parameter(spec.name, type, defaultValue),
      descriptor,
      true,
    );
    this.specs.set(spec.name, spec);
    this.values.set(spec.name, normalise(declared.value));
  }

  /**
   * A value given under this node's own name (not a wildcard, which other nodes share) that is
   * no parameter of the node is most likely a typo: say so instead of ignoring it silently.
   */
  private warnUnknown(overrides: ReadonlyMap<string, ResolvedOverride>): void {
    for (const [name, override] of overrides) {
      if (this.specs.has(name) || RCL_OWN_PARAMETERS.has(name) || isWildcardKey(override.from))
        continue;
      this.logger.warn(
        `ignored parameter '${name}' given for ${override.from}: this node has no such parameter (see config/params.yaml for the list)`,
      );
    }
  }

  /** Parses flat parameter values as the nested document the config parsers read. */
  private parse(values: ReadonlyMap<string, unknown>): NodeSettings {
    const doc: Record<string, unknown> = {};
    for (const [name, value] of values) setPath(doc, name.split('.'), value);
    return { app: parseConfig(doc, 'parameters'), ros: parseRosConfig(doc, 'parameters') };
  }

  /**
   * rclnodejs checks a change against the descriptors (read-only, type, range) between the
   * pre-set and the on-set callbacks, and refuses a bad type or range with a reason that says
   * nothing ("Parameter x does  not readonly", measured with `ros2 param set` on a real graph).
   * So the check is made here first: a bad value is logged, replaced by the parameter's current
   * value so the descriptor check passes, and the on-set callback that rclnodejs calls next in
   * the same set refuses it with the reason, which `ros2 param set` then prints.
   */
  private preCheck(list: RosParameter[]): RosParameter[] {
    this.pendingRefusal = undefined;
    for (const parameter of list) {
      if (RCL_OWN_PARAMETERS.has(parameter.name)) continue;
      const reason = this.typeOrRangeProblem(parameter, true);
      if (reason !== undefined) {
        this.logger.warn(`refused parameter change: ${reason}`);
        this.pendingRefusal = reason;
        return list.map((p) => (this.specs.has(p.name) ? this.node.getParameter(p.name) : p));
      }
    }
    return list;
  }

  private onSet(list: RosParameter[]): SetParametersResult {
    const refusal = this.pendingRefusal;
    this.pendingRefusal = undefined;
    if (refusal !== undefined) return refuse(refusal);
    const candidate = new Map(this.values);
    for (const parameter of list) {
      if (RCL_OWN_PARAMETERS.has(parameter.name)) continue;
      const reason = this.typeOrRangeProblem(parameter, true);
      if (reason !== undefined) return refuse(reason);
      candidate.set(parameter.name, normalise(parameter.value));
    }
    let next: NodeSettings;
    try {
      next = this.parse(candidate);
    } catch (error) {
      return refuse(error instanceof ConfigError ? error.message : String(error));
    }
    const previous = this.current;
    try {
      for (const listener of this.listeners) listener(next, previous);
    } catch (error) {
      // Put back what listeners already applied.
      for (const listener of this.listeners) {
        try {
          listener(previous, next);
        } catch {
          // The previous settings were accepted before; nothing better to do than keep going.
        }
      }
      return refuse(error instanceof Error ? error.message : String(error));
    }
    this.values = candidate;
    this.current = next;
    this.logger.info(
      `parameters changed: ${list.map((p) => `${p.name}=${formatValue(p.value)}`).join(', ')}`,
    );
    return { successful: true, reason: '' };
  }

  /** What the descriptor would refuse (read-only, type, range), and with `choices` the allowed strings too. */
  private typeOrRangeProblem(parameter: RosParameter, choices: boolean): string | undefined {
    const spec = this.specs.get(parameter.name);
    if (spec === undefined) return `'${parameter.name}' is not a parameter of this node`;
    if (!spec.dynamic)
      return `'${parameter.name}' is read-only while the node runs; set it at start (--params-file or -p)`;
    const value = normalise(parameter.value);
    if (parameter.type !== KIND_TYPES[spec.kind]) {
      return `'${parameter.name}' must be ${article(spec.kind)} ${spec.kind}, got ${formatValue(parameter.value)}`;
    }
    if (
      spec.range !== undefined &&
      typeof value === 'number' &&
      !(value >= spec.range[0] && value <= spec.range[1])
    ) {
      return `'${parameter.name}' must be in [${spec.range[0]}, ${spec.range[1]}], got ${formatValue(value)}`;
    }
    if (
      choices &&
      spec.choices !== undefined &&
      !(typeof value === 'string' && spec.choices.includes(value))
    ) {
      return `'${parameter.name}' must be one of ${spec.choices.map((c) => `'${c}'`).join(', ')}, got ${formatValue(value)}`;
    }
    return undefined;
  }
}

/**
 * The value of an override for this parameter, checked as a run-time change would be (type,
 * range, choices). An integer is accepted for a double (`threshold: 1` in YAML).
 * @throws ConfigError naming the parameter, the key it was given under and what is allowed.
 */
function overrideValue(
  spec: ParameterSpec,
  override: ResolvedOverride,
): ParameterSpec['defaultValue'] {
  const where = `parameter '${spec.name}' (given for ${override.from})`;
  const accepted =
    override.type === spec.kind || (spec.kind === 'double' && override.type === 'integer');
  if (!accepted) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `${where} must be ${article(spec.kind)} ${spec.kind}, got ${formatValue(override.value)} (${override.type})`,
    );
  }
  const value = override.value as ParameterSpec['defaultValue'];
  if (
    spec.range !== undefined &&
    typeof value === 'number' &&
    !(value >= spec.range[0] && value <= spec.range[1])
  ) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `${where} must be in [${spec.range[0]}, ${spec.range[1]}], got ${formatValue(value)}`,
    );
  }
  if (spec.choices !== undefined && !(typeof value === 'string' && spec.choices.includes(value))) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `${where} must be one of ${spec.choices.map((c) => `'${c}'`).join(', ')}, got ${formatValue(value)}`,
    );
  }
  return value;
}

function refuse(reason: string): SetParametersResult {
  return { successful: false, reason };
}

/** int64 parameters arrive as bigint; the config parsers take numbers. */
function normalise(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

function setPath(doc: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const next = at[key];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      at = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      at[key] = created;
      at = created;
    }
  }
  const last = path[path.length - 1];
  if (last !== undefined) at[last] = value;
}

function formatValue(value: unknown): string {
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

function article(kind: ParameterKind): string {
  return kind === 'integer' ? 'an' : 'a';
}
