import type { TopicInfo } from '../bag/bagReader.js';
import { McapBagWriter } from '../bag/mcapBagWriter.js';
import { MessageCodec } from '../bag/messageCodec.js';
import { defaultRosConfig, type OutputsConfig } from '../config/rosConfig.js';
import type { LabelMap } from '../models/labelMap.js';
import {
  FACE_MESSAGE_TYPES,
  registerFaceMessages,
  type FaceArrayMessage,
} from '../faces/faceMessages.js';
import type { EmbeddingModelId } from '../faces/faceModels.js';
import { MessageRegistry } from '../messages/messageRegistry.js';
import {
  MessageTypes,
  type Detection2DArray,
  type ImageAnnotations,
  type LabelInfo,
} from '../messages/types.js';
import type { FrameResult } from '../pipeline/frameResult.js';
import { frameMessages } from '../publish/frameMessages.js';
import { labelInfo } from '../publish/labelInfo.js';
import { annotationTopics } from './annotationTopics.js';

/** The output topics a replay writes: the node's, named by the same settings. */
export type DetectionTopics = Pick<
  OutputsConfig,
  'detectionsTopic' | 'labelsTopic' | 'facesTopic' | 'faceDetectionsTopic'
>;

/**
 * The node's output topics as they are in a bag: a node in the root namespace publishes its
 * relative topic 'detections' as '/detections', and a bag holds the resolved names.
 */
export function bagTopics(topics: DetectionTopics = defaultRosConfig().outputs): DetectionTopics {
  const resolved = (topic: string): string => (topic.startsWith('/') ? topic : `/${topic}`);
  return {
    detectionsTopic: resolved(topics.detectionsTopic),
    labelsTopic: resolved(topics.labelsTopic),
    facesTopic: resolved(topics.facesTopic),
    faceDetectionsTopic: resolved(topics.faceDetectionsTopic),
  };
}

/** Options for {@link DetectionBagSink.create}. */
export interface DetectionBagSinkOptions {
  /** Overwrite an existing output file. Default false. */
  force?: boolean;
  /** Input image topics, copied unchanged into the output unless `includeImages` is false. */
  imageTopics: readonly TopicInfo[];
  /** Default true. */
  includeImages?: boolean;
  labels: LabelMap;
  scoreThreshold: number;
  /** Default: the node's default output topics, in the root namespace (see bagTopics). */
  topics?: DetectionTopics;
  /** Write /faces and /faces/detections (when the face branch runs). */
  faces?: { embeddingModel: EmbeddingModelId; includeEmbeddings: boolean };
  /**
   * Write foxglove_msgs/ImageAnnotations per frame at `<image topic>/annotations` (see
   * annotationTopics), for Foxglove's Image panel. Default true.
   */
  annotations?: boolean;
}

/**
 * Writes replay results into an MCAP bag: the input image messages unchanged (same bytes,
 * same log time), one Detection2DArray per successfully processed frame with the frame's
 * header, and LabelInfo once before the first detections; per frame also the camera's
 * foxglove_msgs/ImageAnnotations (boxes, labels, faces) stamped like the frame. Owns the writer.
 */
export class DetectionBagSink {
  private labelsWritten = false;

  private constructor(
    private readonly writer: McapBagWriter,
    private readonly options: DetectionBagSinkOptions,
    private readonly topics: DetectionTopics,
    private readonly detectionCodec: MessageCodec<Detection2DArray>,
    private readonly labelCodec: MessageCodec<LabelInfo>,
    private readonly faceCodec: MessageCodec<FaceArrayMessage> | undefined,
    private readonly annotationCodec: MessageCodec<ImageAnnotations> | undefined,
    /** Image topic -> its annotation topic; empty when annotations are off. */
    private readonly annotationTopicOf: ReadonlyMap<string, string>,
  ) {}

  static async create(path: string, options: DetectionBagSinkOptions): Promise<DetectionBagSink> {
    const registry = MessageRegistry.withBuiltins();
    registerFaceMessages(registry);
    const topics = bagTopics(options.topics);
    const writer = await McapBagWriter.create(path, { force: options.force ?? false });
    try {
      if (options.includeImages ?? true) {
        for (const topic of options.imageTopics) {
          await writer.addTopic(
            topic.name,
            topic.type,
            topic.schemaText ?? registry.schemaText(topic.type),
          );
        }
      }
      const detectionSchema = registry.schemaText(MessageTypes.Detection2DArray);
      const labelSchema = registry.schemaText(MessageTypes.LabelInfo);
      await writer.addTopic(topics.labelsTopic, MessageTypes.LabelInfo, labelSchema);
      await writer.addTopic(topics.detectionsTopic, MessageTypes.Detection2DArray, detectionSchema);
      let faceCodec: MessageCodec<FaceArrayMessage> | undefined;
      if (options.faces !== undefined) {
        const faceSchema = registry.schemaText(FACE_MESSAGE_TYPES.faceArray);
        await writer.addTopic(topics.facesTopic, FACE_MESSAGE_TYPES.faceArray, faceSchema);
        await writer.addTopic(
          topics.faceDetectionsTopic,
          MessageTypes.Detection2DArray,
          detectionSchema,
        );
        faceCodec = MessageCodec.fromSchema<FaceArrayMessage>(
          FACE_MESSAGE_TYPES.faceArray,
          faceSchema,
        );
      }
      let annotationCodec: MessageCodec<ImageAnnotations> | undefined;
      let byImage: ReadonlyMap<string, string> = new Map();
      if (options.annotations ?? true) {
        const annotationSchema = registry.schemaText(MessageTypes.ImageAnnotations);
        byImage = annotationTopics(options.imageTopics.map((t) => t.name));
        for (const topic of new Set(byImage.values()))
          await writer.addTopic(topic, MessageTypes.ImageAnnotations, annotationSchema);
        annotationCodec = MessageCodec.fromSchema<ImageAnnotations>(
          MessageTypes.ImageAnnotations,
          annotationSchema,
        );
      }
      return new DetectionBagSink(
        writer,
        options,
        topics,
        MessageCodec.fromSchema<Detection2DArray>(MessageTypes.Detection2DArray, detectionSchema),
        MessageCodec.fromSchema<LabelInfo>(MessageTypes.LabelInfo, labelSchema),
        faceCodec,
        annotationCodec,
        byImage,
      );
    } catch (error) {
      await writer.close();
      throw error;
    }
  }

  /** Writes one frame's messages, each logged at the frame's log time. */
  async write(result: FrameResult): Promise<void> {
    const { frame } = result;
    const write = (topic: string, bytes: Uint8Array): Promise<void> =>
      this.writer.write(topic, frame.logTime, frame.logTime, bytes);
    if (!this.labelsWritten) {
      this.labelsWritten = true;
      const info = labelInfo(frame.header, this.options.labels, this.options.scoreThreshold);
      await write(this.topics.labelsTopic, this.labelCodec.encode(info));
    }
    if ((this.options.includeImages ?? true) && frame.serialized !== undefined)
      await write(frame.topic, frame.serialized);
    const { annotationCodec, faceCodec } = this;
    const messages = frameMessages(result, {
      annotations: annotationCodec !== undefined,
      faces: faceCodec === undefined ? undefined : this.options.faces,
    });
    if (messages === undefined) return;
    await write(this.topics.detectionsTopic, this.detectionCodec.encode(messages.detections));
    const annotationTopic = this.annotationTopicOf.get(frame.topic);
    if (messages.annotations !== undefined && annotationCodec !== undefined && annotationTopic)
      await write(annotationTopic, annotationCodec.encode(messages.annotations));
    if (messages.faces !== undefined && faceCodec !== undefined) {
      await write(this.topics.facesTopic, faceCodec.encode(messages.faces.array));
      await write(
        this.topics.faceDetectionsTopic,
        this.detectionCodec.encode(messages.faces.detections),
      );
    }
  }

  /** Finishes the bag (complete, indexed, renamed into place). Idempotent. */
  async close(): Promise<void> {
    await this.writer.close();
  }
}
