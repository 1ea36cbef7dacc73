import { errorText } from '../errors.js';
import { annotationsTopic, overlayTopic, type RosConfig } from '../config/rosConfig.js';
import { annotateFrame } from '../image/annotateFrame.js';
import type { FrameImage } from '../image/frameImage.js';
import { matToImageMessage } from '../image/matToImageMessage.js';
import { FACE_MESSAGE_TYPES, type FaceArrayMessage } from '../faces/faceMessages.js';
import {
  MessageTypes,
  type Detection2DArray,
  type DiagnosticArray,
  type Image,
  type ImageAnnotations,
  type LabelInfo,
} from '../messages/types.js';
import type { FrameResult } from '../pipeline/frameResult.js';
import type { FrameMessages } from '../publish/frameMessages.js';
import { overlayItems } from '../publish/overlayItems.js';
import { cdrPublisher, type CdrPublisher } from './cdrPublisher.js';
import { LATCHED_QOS, toRosQos } from './qosProfiles.js';
import type { RclClasses, RosMessageType, RosNode, RosPublisher, RosQoS } from './rclApi.js';

/** What {@link NodeOutputs.create} needs to know besides the settings. */
export interface NodeOutputsOptions {
  node: RosNode;
  rcl: RclClasses;
  ros: RosConfig;
  /** Whether the face branch runs (its publishers exist only then). */
  faces: boolean;
  /**
   * Called when ImageAnnotations cannot be published (no foxglove_msgs for rclnodejs); the node
   * goes on without them.
   */
  onAnnotationsUnavailable: (error: unknown) => void;
}

/**
 * The node's publishers while it is active: created at activation, destroyed at deactivation.
 * Each serializes its own messages (see CdrPublisher). Per camera: an overlay (when
 * outputs.overlay) and foxglove_msgs/ImageAnnotations (when outputs.annotations and the type is
 * installed).
 */
export class NodeOutputs {
  private constructor(
    private readonly node: RosNode,
    readonly detections: CdrPublisher<Detection2DArray>,
    readonly labels: CdrPublisher<LabelInfo>,
    readonly diagnostics: CdrPublisher<DiagnosticArray>,
    /** FaceArray and its Detection2DArray form, while the face branch runs. */
    private readonly faces:
      | { array: CdrPublisher<FaceArrayMessage>; detections: CdrPublisher<Detection2DArray> }
      | undefined,
    /** Camera name -> overlay publisher. */
    private readonly overlays: ReadonlyMap<string, CdrPublisher<Image>>,
    /** Camera name -> ImageAnnotations publisher; empty when off or foxglove_msgs is missing. */
    private readonly annotations: ReadonlyMap<string, CdrPublisher<ImageAnnotations>>,
  ) {}

  static create(options: NodeOutputsOptions): NodeOutputs {
    const { node, rcl, ros } = options;
    const outQos = toRosQos(rcl, ros.outputs.qos);
    const publisher = <T>(type: string, topic: string, qos: RosQoS): CdrPublisher<T> =>
      cdrPublisher<T>(node.createPublisher(type as RosMessageType, topic, { qos }), type);
    const overlays = new Map<string, CdrPublisher<Image>>();
    if (ros.outputs.overlay) {
      for (const camera of ros.cameras) {
        const topic = overlayTopic(ros.outputs, camera.name);
        overlays.set(camera.name, publisher(MessageTypes.Image, topic, outQos));
      }
    }
    return new NodeOutputs(
      node,
      publisher(MessageTypes.Detection2DArray, ros.outputs.detectionsTopic, outQos),
      publisher(MessageTypes.LabelInfo, ros.outputs.labelsTopic, toRosQos(rcl, LATCHED_QOS)),
      publisher(
        MessageTypes.DiagnosticArray,
        ros.outputs.diagnosticsTopic,
        toRosQos(rcl, { reliability: 'reliable', durability: 'volatile', depth: 10 }),
      ),
      options.faces
        ? {
            array: cdrPublisher<FaceArrayMessage>(
              faceArrayPublisher(node, ros.outputs.facesTopic, outQos),
              FACE_MESSAGE_TYPES.faceArray,
            ),
            detections: publisher(
              MessageTypes.Detection2DArray,
              ros.outputs.faceDetectionsTopic,
              outQos,
            ),
          }
        : undefined,
      overlays,
      ros.outputs.annotations ? annotationPublishers(options, outQos) : new Map(),
    );
  }

  /** Whether ImageAnnotations are published for `camera`. */
  annotates(camera: string): boolean {
    return this.annotations.has(camera);
  }

  /** Whether the face messages are published. */
  get publishesFaces(): boolean {
    return this.faces !== undefined;
  }

  /** Publishes one frame's messages (those that have a publisher). */
  publishFrame(camera: string, messages: FrameMessages): void {
    this.detections.publish(messages.detections);
    if (messages.annotations !== undefined)
      this.annotations.get(camera)?.publish(messages.annotations);
    if (this.faces !== undefined && messages.faces !== undefined) {
      this.faces.array.publish(messages.faces.array);
      this.faces.detections.publish(messages.faces.detections);
    }
  }

  /**
   * Draws the frame's detections on its image and publishes it on the camera's overlay topic, only
   * while someone subscribes to it: drawing and a raw image message cost a full frame copy.
   */
  publishOverlay(camera: string, image: FrameImage, result: FrameResult): void {
    const publisher = this.overlays.get(camera);
    if (publisher === undefined || publisher.subscriberCount() === 0) return;
    const drawn = annotateFrame(image, overlayItems(result.detections));
    try {
      publisher.publish(matToImageMessage(drawn, result.frame.header, 'bgr8'));
    } finally {
      drawn.release();
    }
  }

  /** Destroys every publisher. */
  destroy(): void {
    const faces = this.faces === undefined ? [] : [this.faces.array, this.faces.detections];
    for (const publisher of [
      this.detections,
      this.labels,
      this.diagnostics,
      ...faces,
      ...this.overlays.values(),
      ...this.annotations.values(),
    ]) {
      this.node.destroyPublisher(publisher.publisher);
    }
  }
}

/**
 * One ImageAnnotations publisher per camera, or none when rclnodejs cannot create them: it needs
 * the type support of foxglove_msgs (`apt install ros-$ROS_DISTRO-foxglove-msgs`), an optional
 * dependency. Trying to create the publisher is the check.
 */
function annotationPublishers(
  options: NodeOutputsOptions,
  qos: RosQoS,
): Map<string, CdrPublisher<ImageAnnotations>> {
  const { node, ros } = options;
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
    options.onAnnotationsUnavailable(error);
    return new Map();
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
