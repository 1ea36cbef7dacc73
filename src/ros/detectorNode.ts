import { from, merge, type Subscription } from 'rxjs';
import { errorReason, errorText, fatalError, type MobilenetRosError } from '../errors.js';
import type { AppConfig } from '../config/detectorConfig.js';
import { inputTopic, type CameraConfig } from '../config/rosConfig.js';
import type { SsdDetector } from '../detection/ssdDetector.js';
import { DetectionPipeline } from '../pipeline/detectionPipeline.js';
import type { FrameImage } from '../image/frameImage.js';
import type { Header } from '../messages/types.js';
import { MessageTypes } from '../messages/types.js';
import { cameraGate } from '../pipeline/cameraGate.js';
import type { FrameResult } from '../pipeline/frameResult.js';
import { Lookahead } from '../pipeline/lookahead.js';
import type { ImageObserver, ObjectDetectionStage } from '../pipeline/objectDetectionStage.js';
import { diagnosticArray, fatalStatus } from '../publish/diagnostics.js';
import { frameMessages } from '../publish/frameMessages.js';
import { formatProviderReport } from '../inference/providerReport.js';
import { labelInfo } from '../publish/labelInfo.js';
import type { CameraFrame } from '../sources/cameraFrame.js';
import { formatStamp } from '../sources/cameraFrame.js';
import { cameraFrames } from './cameraSubscription.js';
import { CameraStats } from './cameraStats.js';
import { NodeOutputs } from './nodeOutputs.js';
import { NodeParameters, type NodeSettings } from './nodeParameters.js';
import type { ResolvedOverride } from './parameterOverrides.js';
import type { RclClasses, RosLogger, RosNode } from './rclApi.js';
import { SilentTopicWatch } from './silentTopicWatch.js';
import { ThrottledLog } from './throttledLog.js';

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

/**
 * The detector as a ROS node, independent of how the node is driven: DetectorNode owns its
 * detector, publishers, subscriptions and timer, and moves through the managed-node states
 * (configure loads the model; activate subscribes and publishes; deactivate stops; cleanup
 * frees). The runner calls these directly for a plain node or from lifecycle transitions.
 *
 * Frames flow: rcl subscription -> cameraGate (rate limit per camera, latest-per-camera gate,
 * cameras served fairly) -> ObjectDetectionStage -> frameMessages (each with the frame's own
 * header) -> NodeOutputs; the overlay is drawn only while someone subscribes to it. Diagnostics
 * and the silent-topic check run on a timer.
 */
export class DetectorNode {
  private stateValue: DetectorNodeState = 'unconfigured';
  private models: DetectionPipeline | undefined;
  private detector: SsdDetector | undefined;
  private stage: ObjectDetectionStage | undefined;
  private outputs: NodeOutputs | undefined;
  private pipeline: Subscription | undefined;
  private inFlight = new Set<Promise<void>>();
  /** When the next frame may start while this one finishes (node.lookahead). */
  private readonly lookahead = new Lookahead();
  private stopTicker: (() => void) | undefined;
  private statsValue: CameraStats;
  private readonly cameraByTopic = new Map<string, CameraConfig>();
  private readonly silentTopics: SilentTopicWatch;
  private readonly frameErrorLog: ThrottledLog;
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
    this.silentTopics = new SilentTopicWatch(options.node, this.logger);
    this.frameErrorLog = new ThrottledLog(5000, this.now);
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
    this.outputs = NodeOutputs.create({
      node,
      rcl,
      ros,
      faces: this.models?.faces !== undefined,
      onAnnotationsUnavailable: (error) => this.annotationsUnavailable(error),
    });
    this.publishLabels();

    const stats = (this.statsValue = this.newStats());
    this.silentTopics.start(this.now());
    this.cameraByTopic.clear();
    for (const camera of ros.cameras) this.cameraByTopic.set(inputTopic(camera), camera);
    const frames = merge(...ros.cameras.map((camera) => cameraFrames(node, rcl, camera)));
    this.pipeline = frames
      .pipe(
        cameraGate(
          (frame: CameraFrame, camera, release) =>
            from(this.track(this.processFrame(frame, camera, release))),
          {
            camera: (frame) => this.cameraByTopic.get(frame.topic)?.name ?? frame.topic,
            maxRateHz: (camera) =>
              this.settings.ros.cameras.find((c) => c.name === camera)?.maxRateHz ?? 0,
            concurrency: ros.node.concurrency,
            onReceived: (camera) => stats.received(camera),
            onRateLimited: (camera) => stats.rateLimited(camera),
            onDropped: (camera) => stats.dropped(camera),
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
    outputs?.destroy();
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
    const ros = this.settings.ros;
    const notRunning = ros.node.stages.detector
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
    this.silentTopics.check(nowMs, ros.cameras, ros.node.qosWarningAfterS, (camera) =>
      this.statsValue.hasReceived(camera),
    );
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
      this.publishResult(camera, result);
    } finally {
      timeline.done();
    }
  }

  private publishResult(camera: string, result: FrameResult): void {
    // Deactivated while this frame was in inference: its publishers are gone.
    const outputs = this.outputs;
    if (this.stateValue !== 'active' || outputs === undefined) return;
    if (result.error !== undefined) {
      this.statsValue.error(camera, result.error.message, errorReason(result.error));
      this.logFrameError(camera, result.frame, result.error);
      return;
    }
    const faceStage = this.models?.faces;
    const messages = frameMessages(result, {
      annotations: outputs.annotates(camera),
      faces:
        outputs.publishesFaces && faceStage !== undefined
          ? {
              includeEmbeddings: this.settings.app.faces.publishEmbeddings,
              embeddingModel: faceStage.embeddingModel,
            }
          : undefined,
    });
    if (messages === undefined) return; // only for a failed frame, handled above
    outputs.publishFrame(camera, messages);
    const latencyMs = Number(process.hrtime.bigint() - result.frame.receivedAt) / 1e6;
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

  /** Said once per node, at info: annotations are optional and the rest runs without them. */
  private annotationsUnavailable(error: unknown): void {
    if (this.annotationsUnavailableLogged) return;
    this.annotationsUnavailableLogged = true;
    this.logger.info(
      `Foxglove annotations off: cannot publish ${MessageTypes.ImageAnnotations} (${errorText(error)}). ` +
        `Install ros-${process.env['ROS_DISTRO'] ?? '<distro>'}-foxglove-msgs and restart to get them, ` +
        'or set outputs.annotations:=false to not try',
    );
  }

  /** Draws and publishes the overlay, only while someone subscribes to it. */
  private publishOverlay(image: FrameImage, result: FrameResult): void {
    const camera = this.cameraByTopic.get(result.frame.topic);
    if (camera !== undefined) this.outputs?.publishOverlay(camera.name, image, result);
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

  private logFrameError(camera: string, frame: CameraFrame, error: Error): void {
    if (!this.frameErrorLog.allow(camera)) return;
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

function defaultEvery(periodMs: number, tick: () => void): () => void {
  const timer = setInterval(tick, periodMs);
  return () => clearInterval(timer);
}
