import { from, merge, type Subscription } from 'rxjs';
import { fatalError, type MobilenetRosError } from '../errors.js';
import type { AppConfig } from '../config/detectorConfig.js';
import {
  annotationsTopic,
  inputTopic,
  overlayTopic,
  type CameraConfig,
} from '../config/rosConfig.js';
import type { SsdDetector } from '../detection/ssdDetector.js';
import { DetectionPipeline } from '../pipeline/detectionPipeline.js';
import { annotateFrame } from '../image/annotateFrame.js';
import type { FrameImage } from '../image/frameImage.js';
import { matToImageMessage } from '../image/matToImageMessage.js';
import { errorReason } from '../errors.js';
import type {
  Detection2DArray,
  DiagnosticArray,
  Header,
  Image,
  ImageAnnotations,
  LabelInfo,
} from '../messages/types.js';
import { MessageTypes } from '../messages/types.js';
import type { FrameResult } from '../pipeline/frameResult.js';
import { Lookahead } from '../pipeline/lookahead.js';
import { latestPerCamera } from '../pipeline/latestPerCamera.js';
import { maxRatePerCamera } from '../pipeline/maxRatePerCamera.js';
import type { ImageObserver, ObjectDetectionStage } from '../pipeline/objectDetectionStage.js';
import { detection2DArray } from '../publish/detection2DArray.js';
import { faceArrayMessage } from '../publish/faceArrayMessage.js';
import { faceDetections } from '../publish/faceDetections.js';
import { FACE_MESSAGE_TYPES, type FaceArrayMessage } from '../faces/faceMessages.js';
import { diagnosticArray, fatalStatus } from '../publish/diagnostics.js';
import { formatProviderReport } from '../inference/providerReport.js';
import { imageAnnotations } from '../publish/imageAnnotations.js';
import { labelInfo } from '../publish/labelInfo.js';
import { overlayItems } from '../publish/overlayItems.js';
import type { CameraFrame } from '../sources/cameraFrame.js';
import { formatStamp } from '../sources/cameraFrame.js';
import { cameraFrames } from './cameraSubscription.js';
import { cdrPublisher, type CdrPublisher } from './cdrPublisher.js';
import { CameraStats } from './cameraStats.js';
import { NodeParameters, type NodeSettings } from './nodeParameters.js';
import type { ResolvedOverride } from './parameterOverrides.js';
import { describeSilentTopic, LATCHED_QOS, toRosQos } from './qosProfiles.js';
import {
  toEndpointInfo,
  type RclClasses,
  type RosLogger,
  type RosMessageType,
  type RosNode,
  type RosPublisher,
  type RosQoS,
} from './rclApi.js';

/** Where the node is in its lifecycle (the managed-node states it goes through). */
export type DetectorNodeState =
  'unconfigured' | 'configuring' | 'inactive' | 'active' | 'finalized';

/** Options of {@link DetectorNode.create}. */
export interface DetectorNodeOptions {
  node: RosNode;
  rcl: RclClasses;
  /**
   * Parameter values given to this node (--params-file, -p, launch), already resolved for its
   * fully qualified name (resolveParameterOverrides). Default: none, every parameter at its default.
   */
  overrides?: ReadonlyMap<string, ResolvedOverride>;
  /** Loads the models at configure. Default: DetectionPipeline.create from the parameters. */
  createPipeline?: (
    config: AppConfig,
    options: { observer?: ImageObserver },
  ) => Promise<DetectionPipeline>;
  /** Monotonic milliseconds. Default performance.now. */
  now?: () => number;
  /** Starts the periodic diagnostics/QoS check; returns a stop function. Default setInterval. Tests pass a manual ticker. */
  every?: (periodMs: number, tick: () => void) => () => void;
  /** Called after each detection message is published, with the latency from receive (benchmarks). */
  onPublished?: (camera: string, latencyMs: number) => void;
  /**
   * Called once when processing fails for good (`fatalError()`: the model's thread died). The
   * node has logged it, publishes ERROR in /diagnostics and drops frames until configured again;
   * the runner decides what the node does next (a lifecycle node goes through ErrorProcessing).
   */
  onFatal?: (error: MobilenetRosError) => void;
}

/** Publishers that exist while active. */
/** Publishers that exist while active; each serializes its own messages (see CdrPublisher). */
interface Outputs {
  detections: CdrPublisher<Detection2DArray>;
  labels: CdrPublisher<LabelInfo>;
  /** FaceArray and its Detection2DArray form, while the face branch runs. */
  faces:
    | { array: CdrPublisher<FaceArrayMessage>; detections: CdrPublisher<Detection2DArray> }
    | undefined;
  diagnostics: CdrPublisher<DiagnosticArray>;
  overlays: Map<string, CdrPublisher<Image>>;
  /** foxglove_msgs/ImageAnnotations per camera; empty when off or foxglove_msgs is missing. */
  annotations: Map<string, CdrPublisher<ImageAnnotations>>;
}

/**
 * The detector as a ROS node, independent of how the node is driven: DetectorNode owns its
 * detector, publishers, subscriptions and timer, and moves through the managed-node states
 * (configure loads the model; activate subscribes and publishes; deactivate stops; cleanup
 * frees). The runner calls these directly for a plain node or from lifecycle transitions.
 *
 * Frames flow: rcl subscription -> max rate per camera -> latest-per-camera gate (drops
 * counted, cameras served round-robin) -> ObjectDetectionStage -> Detection2DArray with the
 * frame's own header; the overlay is rendered only while someone subscribes to it.
 */
export class DetectorNode {
  private stateValue: DetectorNodeState = 'unconfigured';
  private models: DetectionPipeline | undefined;
  private detector: SsdDetector | undefined;
  private stage: ObjectDetectionStage | undefined;
  private outputs: Outputs | undefined;
  private pipeline: Subscription | undefined;
  private inFlight = new Set<Promise<void>>();
  /** When the next frame may start while this one finishes (node.lookahead). */
  private readonly lookahead = new Lookahead();
  private stopTicker: (() => void) | undefined;
  private statsValue: CameraStats;
  private readonly cameraByTopic = new Map<string, CameraConfig>();
  private activatedAt = 0;
  private readonly qosWarned = new Set<string>();
  private lastErrorLog = new Map<string, number>();
  /** Whether the node said that annotations are off for want of foxglove_msgs (said once). */
  private annotationsUnavailableLogged = false;
  /** The failure that stopped processing, until the next configure loads the models again. */
  private fatal: MobilenetRosError | undefined;
  private readonly logger: RosLogger;
  private readonly now: () => number;

  private constructor(
    private readonly options: DetectorNodeOptions,
    readonly parameters: NodeParameters,
  ) {
    this.logger = options.node.getLogger();
    this.now = options.now ?? (() => performance.now());
    this.statsValue = this.newStats();
    parameters.onChange((next, previous) => this.applySettings(next, previous));
  }

  /**
   * Declares the parameters and reads them.
   * @throws ConfigError naming the parameter when a value is invalid.
   */
  static create(options: DetectorNodeOptions): DetectorNode {
    return new DetectorNode(
      options,
      NodeParameters.declare(options.node, options.rcl, options.overrides),
    );
  }

  get state(): DetectorNodeState {
    return this.stateValue;
  }

  get settings(): NodeSettings {
    return this.parameters.settings;
  }

  /** Counters of the current activation. */
  get stats(): CameraStats {
    return this.statsValue;
  }

  /** Loads the model (the slow part). unconfigured -> inactive. */
  async configure(): Promise<void> {
    this.expect('configure', 'unconfigured');
    this.stateValue = 'configuring';
    const app = this.settings.app;
    try {
      const create =
        this.options.createPipeline ??
        ((config: AppConfig, options: { observer?: ImageObserver }) =>
          DetectionPipeline.create(config, options));
      // Without overlay publishers nothing draws on the frames, so they may be decoded at
      // reduced scale (image.jpeg_reduced_decode).
      this.models = await create(
        app,
        this.settings.ros.outputs.overlay
          ? { observer: (image, result) => this.publishOverlay(image, result) }
          : {},
      );
      this.detector = this.models.detector;
      this.stage = this.models.stage;
      this.fatal = undefined; // fresh models
    } catch (error) {
      this.stateValue = 'unconfigured';
      throw error;
    }
    this.stateValue = 'inactive';
    this.logger.info(
      `configured: ${this.models.detector.form} model (detector.model_form ${app.detector.modelForm}) from ${app.modelsDir}, ${app.inference.threads} thread(s)`,
    );
  }

  /** Creates publishers and subscriptions and starts processing. inactive -> active. */
  activate(): void {
    this.expect('activate', 'inactive');
    const { node, rcl } = this.options;
    const ros = this.settings.ros;
    const outQos = toRosQos(rcl, ros.outputs.qos);
    const overlays = new Map<string, CdrPublisher<Image>>();
    const publisher = <T>(type: string, topic: string, qos: RosQoS): CdrPublisher<T> =>
      cdrPublisher<T>(node.createPublisher(type as RosMessageType, topic, { qos }), type);
    const outputs: Outputs = {
      detections: publisher(MessageTypes.Detection2DArray, ros.outputs.detectionsTopic, outQos),
      labels: publisher(
        MessageTypes.LabelInfo,
        ros.outputs.labelsTopic,
        toRosQos(rcl, LATCHED_QOS),
      ),
      diagnostics: publisher(
        MessageTypes.DiagnosticArray,
        ros.outputs.diagnosticsTopic,
        toRosQos(rcl, { reliability: 'reliable', durability: 'volatile', depth: 10 }),
      ),
      faces:
        this.models?.faces === undefined
          ? undefined
          : {
              array: cdrPublisher<FaceArrayMessage>(
                faceArrayPublisher(node, ros.outputs.facesTopic, outQos),
                FACE_MESSAGE_TYPES.faceArray,
              ),
              detections: publisher(
                MessageTypes.Detection2DArray,
                ros.outputs.faceDetectionsTopic,
                outQos,
              ),
            },
      overlays,
      annotations: ros.outputs.annotations
        ? this.annotationPublishers(outQos)
        : new Map<string, CdrPublisher<ImageAnnotations>>(),
    };
    if (ros.outputs.overlay) {
      for (const camera of ros.cameras) {
        overlays.set(
          camera.name,
          publisher(MessageTypes.Image, overlayTopic(ros.outputs, camera.name), outQos),
        );
      }
    }
    this.outputs = outputs;
    this.publishLabels();

    this.statsValue = this.newStats();
    this.qosWarned.clear();
    this.activatedAt = this.now();
    this.cameraByTopic.clear();
    for (const camera of ros.cameras) this.cameraByTopic.set(inputTopic(camera), camera);
    const cameraOf = (frame: CameraFrame): string =>
      this.cameraByTopic.get(frame.topic)?.name ?? frame.topic;
    const frames = merge(...ros.cameras.map((camera) => cameraFrames(node, rcl, camera)));
    this.pipeline = frames
      .pipe(
        maxRatePerCamera({
          key: (frame) => {
            this.statsValue.received(cameraOf(frame));
            return cameraOf(frame);
          },
          maxRateHz: (camera) =>
            this.settings.ros.cameras.find((c) => c.name === camera)?.maxRateHz ?? 0,
          onSkip: (frame) => this.statsValue.rateLimited(cameraOf(frame)),
        }),
        latestPerCamera(
          (frame: CameraFrame, release) =>
            from(this.track(this.processFrame(frame, cameraOf(frame), release))),
          {
            key: cameraOf,
            concurrency: ros.node.concurrency,
            onDrop: (frame) => this.statsValue.dropped(cameraOf(frame)),
          },
        ),
      )
      .subscribe({
        error: (error: unknown) => this.logger.error(`pipeline stopped: ${errorText(error)}`),
      });

    const every = this.options.every ?? defaultEvery;
    this.stopTicker = every(ros.outputs.diagnosticsPeriodS * 1000, () => this.tick());
    this.stateValue = 'active';
    this.logger.info(
      `active: ${ros.cameras.map((c) => `${c.name} <- ${node.resolveTopicName(inputTopic(c))} (${c.qos.reliability}, depth ${c.qos.depth})`).join(', ')}; ` +
        `detections -> ${node.resolveTopicName(ros.outputs.detectionsTopic)}`,
    );
  }

  /** Stops subscriptions, waits for frames in flight, destroys publishers. active -> inactive. */
  async deactivate(): Promise<void> {
    this.expect('deactivate', 'active');
    this.stopTicker?.();
    this.stopTicker = undefined;
    // Destroys the rcl subscriptions (teardown of each camera's Observable) and drops waiting frames.
    this.pipeline?.unsubscribe();
    this.pipeline = undefined;
    // Tracks do not outlive an activation: the next one starts with fresh ids.
    this.stage?.resetTracking();
    this.stateValue = 'inactive';
    await Promise.allSettled([...this.inFlight]);
    const outputs = this.outputs;
    this.outputs = undefined;
    if (outputs !== undefined) {
      const { node } = this.options;
      const faces =
        outputs.faces === undefined ? [] : [outputs.faces.array, outputs.faces.detections];
      for (const publisher of [
        outputs.detections,
        outputs.labels,
        outputs.diagnostics,
        ...faces,
        ...outputs.overlays.values(),
        ...outputs.annotations.values(),
      ]) {
        node.destroyPublisher(publisher.publisher);
      }
    }
    this.logger.info('inactive');
  }

  /** Releases the model. inactive -> unconfigured. */
  async cleanup(): Promise<void> {
    this.expect('cleanup', 'inactive');
    const models = this.models;
    this.models = undefined;
    this.detector = undefined;
    this.stage = undefined;
    this.stateValue = 'unconfigured';
    await models?.close();
  }

  /** From any state to finalized: stops, frees everything. Idempotent. */
  async shutdown(): Promise<void> {
    if (this.stateValue === 'finalized') return;
    if (this.stateValue === 'active') await this.deactivate();
    if (this.stateValue === 'inactive') await this.cleanup();
    this.stateValue = 'finalized';
  }

  /** One diagnostics period: publish DiagnosticArray, check silent topics. Called by the timer. */
  tick(): void {
    const outputs = this.outputs;
    if (outputs === undefined) return;
    const nowMs = this.now();
    const notRunning = this.settings.ros.node.stages.detector
      ? undefined
      : 'detector stage turned off (node.stages.detector)';
    const cameras = this.statsValue.takePeriod(nowMs, notRunning);
    const providers =
      this.models === undefined ? [] : this.models.providerReports().map(formatProviderReport);
    const array = diagnosticArray(this.rosHeader(''), this.options.node.name(), cameras, providers);
    const fatal = this.fatal;
    outputs.diagnostics.publish(
      fatal === undefined
        ? array
        : { ...array, status: [...array.status, fatalStatus(this.options.node.name(), fatal)] },
    );
    this.checkSilentTopics(nowMs);
  }

  /** `release` lets the next frame start; the lookahead calls it near the end of this one. */
  private async processFrame(
    frame: CameraFrame,
    camera: string,
    release: () => void,
  ): Promise<void> {
    const stage = this.stage;
    if (stage === undefined || !this.settings.ros.node.stages.detector) return;
    if (this.fatal !== undefined) return; // the models cannot run: drop, do not fail each frame
    const timeline = this.lookahead.begin(release);
    try {
      const result = await stage.process(
        frame,
        this.settings.ros.node.lookahead
          ? { onInferenceStart: () => timeline.inferenceStarted() }
          : {},
      );
      this.publishResult(frame, camera, result);
    } finally {
      timeline.done();
    }
  }

  private publishResult(frame: CameraFrame, camera: string, result: FrameResult): void {
    // Deactivated while this frame was in inference: its publishers are gone.
    const outputs = this.outputs;
    if (this.stateValue !== 'active' || outputs === undefined) return;
    if (result.error !== undefined) {
      this.statsValue.error(camera, result.error.message, errorReason(result.error));
      this.logFrameError(camera, frame, result.error);
      return;
    }
    outputs.detections.publish(detection2DArray(frame.header, result.detections));
    outputs.annotations
      .get(camera)
      ?.publish(imageAnnotations(frame.header, result.detections, result.faces));
    const faceStage = this.models?.faces;
    if (outputs.faces !== undefined && faceStage !== undefined && result.faces !== undefined) {
      const includeEmbeddings = this.settings.app.faces.publishEmbeddings;
      outputs.faces.array.publish(
        faceArrayMessage(frame.header, result.faces, {
          includeEmbeddings,
          embeddingModel: faceStage.embeddingModel,
        }),
      );
      outputs.faces.detections.publish(faceDetections(frame.header, result.faces));
    }
    const latencyMs = Number(process.hrtime.bigint() - frame.receivedAt) / 1e6;
    this.statsValue.published(camera, latencyMs);
    this.options.onPublished?.(camera, latencyMs);
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work.catch((error: unknown) => {
      const fatal = fatalError(error);
      if (fatal !== undefined) this.failFatally(fatal);
      else this.logger.error(`frame processing failed: ${errorText(error)}`);
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return tracked;
  }

  /** Once per configuration: log, report ERROR at once (not only at the next period), tell the runner. */
  private failFatally(error: MobilenetRosError): void {
    if (this.fatal !== undefined) return;
    this.fatal = error;
    this.logger.error(
      `fatal [${error.code}]: ${error.message}; frames are no longer processed until the node is configured again`,
    );
    this.tick();
    this.options.onFatal?.(error);
  }

  /**
   * One ImageAnnotations publisher per camera, or none when rclnodejs cannot create them: it
   * needs the type support of foxglove_msgs (`apt install ros-$ROS_DISTRO-foxglove-msgs`), an
   * optional dependency. Trying to create the publisher is the check; a failure is said once, at
   * info, and the node goes on without annotations.
   */
  private annotationPublishers(qos: RosQoS): Map<string, CdrPublisher<ImageAnnotations>> {
    const { node } = this.options;
    const ros = this.settings.ros;
    const created = new Map<string, CdrPublisher<ImageAnnotations>>();
    try {
      for (const camera of ros.cameras) {
        const topic = annotationsTopic(ros.outputs, camera.name);
        created.set(
          camera.name,
          cdrPublisher<ImageAnnotations>(
            node.createPublisher(MessageTypes.ImageAnnotations as RosMessageType, topic, { qos }),
            MessageTypes.ImageAnnotations,
          ),
        );
      }
      return created;
    } catch (error) {
      for (const publisher of created.values()) node.destroyPublisher(publisher.publisher);
      if (!this.annotationsUnavailableLogged) {
        this.annotationsUnavailableLogged = true;
        this.logger.info(
          `Foxglove annotations off: cannot publish ${MessageTypes.ImageAnnotations} (${errorText(error)}). ` +
            `Install ros-${process.env['ROS_DISTRO'] ?? '<distro>'}-foxglove-msgs and restart to get them, ` +
            'or set outputs.annotations:=false to not try',
        );
      }
      return new Map();
    }
  }

  /** Draws and publishes the overlay, only while someone subscribes to it. */
  private publishOverlay(image: FrameImage, result: FrameResult): void {
    const camera = this.cameraByTopic.get(result.frame.topic);
    const publisher = camera === undefined ? undefined : this.outputs?.overlays.get(camera.name);
    if (publisher === undefined || publisher.subscriberCount() === 0) return;
    const drawn = annotateFrame(image, overlayItems(result.detections));
    try {
      publisher.publish(matToImageMessage(drawn, result.frame.header, 'bgr8'));
    } finally {
      drawn.release();
    }
  }

  private publishLabels(threshold = this.settings.app.detector.scoreThreshold): void {
    const outputs = this.outputs;
    const detector = this.detector;
    if (outputs === undefined || detector === undefined) return;
    outputs.labels.publish(labelInfo(this.rosHeader(''), detector.labels, threshold));
  }

  /** Applies accepted parameter changes; throws to refuse (the stage keeps its old settings). */
  private applySettings(next: NodeSettings, previous: NodeSettings): void {
    this.stage?.reconfigure(next.app.detector);
    if (next.app.detector.scoreThreshold !== previous.app.detector.scoreThreshold)
      this.publishLabels(next.app.detector.scoreThreshold);
    if (next.ros.node.stages.detector !== previous.ros.node.stages.detector) {
      this.logger.info(`detector stage ${next.ros.node.stages.detector ? 'on' : 'off'}`);
    }
  }

  private checkSilentTopics(nowMs: number): void {
    const ros = this.settings.ros;
    if (nowMs - this.activatedAt < ros.node.qosWarningAfterS * 1000) return;
    for (const camera of ros.cameras) {
      if (this.qosWarned.has(camera.name) || this.statsValue.hasReceived(camera.name)) continue;
      const topic = this.options.node.resolveTopicName(inputTopic(camera));
      const publishers = this.options.node
        .getPublishersInfoByTopic(topic, false)
        .map(toEndpointInfo)
        .filter((p) => p !== undefined);
      if (publishers.length === 0) continue;
      this.qosWarned.add(camera.name);
      this.logger.warn(
        describeSilentTopic(topic, (nowMs - this.activatedAt) / 1000, camera.qos, publishers),
      );
    }
  }

  private logFrameError(camera: string, frame: CameraFrame, error: Error): void {
    // At most one line per camera every 5 s: a broken camera at 30 fps must not flood the log.
    const nowMs = this.now();
    if (nowMs - (this.lastErrorLog.get(camera) ?? -Infinity) < 5000) return;
    this.lastErrorLog.set(camera, nowMs);
    this.logger.warn(
      `camera ${camera}: frame ${formatStamp(frame.header)} on ${frame.topic} failed: ${error.message}`,
    );
  }

  /** A header stamped with the node's clock (ROS time; simulated with use_sim_time). */
  private rosHeader(frameId: string): Header {
    const { seconds, nanoseconds } = this.options.node.now().secondsAndNanoseconds;
    return { stamp: { sec: Number(seconds), nanosec: Number(nanoseconds) }, frame_id: frameId };
  }

  private newStats(): CameraStats {
    return new CameraStats(
      new Map(this.settings.ros.cameras.map((c) => [c.name, inputTopic(c)])),
      this.now(),
    );
  }

  private expect(transition: string, state: DetectorNodeState): void {
    if (this.stateValue !== state) {
      throw new Error(
        `cannot ${transition} the node in state '${this.stateValue}' (needs '${state}')`,
      );
    }
  }
}

/**
 * The FaceArray publisher. rclnodejs knows this package's messages only once they were generated
 * for it, which `colcon build` does at install time; name that instead of rclnodejs's bare
 * "The message required does not exist".
 */
function faceArrayPublisher(node: RosNode, topic: string, qos: RosQoS): RosPublisher {
  try {
    return node.createPublisher(FACE_MESSAGE_TYPES.faceArray as RosMessageType, topic, { qos });
  } catch (error) {
    throw new Error(
      `cannot publish ${FACE_MESSAGE_TYPES.faceArray}: rclnodejs has no class for it (${errorText(error)}). ` +
        'Build the package with colcon and source its install/setup.bash (the install step generates the classes), ' +
        'or run without the face branch (faces.enabled:=false)',
      { cause: error },
    );
  }
}

/**
 * The bytes of a typed array as one that starts at offset 0 of its buffer: rclnodejs 2.2 ignores
 * a typed array's byteOffset when it serialises (measured: a view at offset 4 arrived as the 4
 * bytes before it), so a view is copied; a whole buffer is passed as it is.
 */
function defaultEvery(periodMs: number, tick: () => void): () => void {
  const timer = setInterval(tick, periodMs);
  return () => clearInterval(timer);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
