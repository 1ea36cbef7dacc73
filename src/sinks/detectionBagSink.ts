import type { TopicInfo } from '../bag/bagReader.js';
import { McapBagWriter } from '../bag/mcapBagWriter.js';
import { MessageCodec } from '../bag/messageCodec.js';
import type { LabelMap } from '../models/labelMap.js';
import { faceArrayMessage } from '../publish/faceArrayMessage.js';
import { faceDetections } from '../publish/faceDetections.js';
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
import { detection2DArray } from '../publish/detection2DArray.js';
import { imageAnnotations } from '../publish/imageAnnotations.js';
import { labelInfo } from '../publish/labelInfo.js';
import { annotationTopics } from './annotationTopics.js';

/** Output topic names of a replay. */
export interface DetectionTopics {
  /** Default '/detections'. */
  detections: string;
  /** Default '/detections/labels'. */
  labels: string;
  /** Default '/faces'. */
  faces: string;
  /** Default '/faces/detections'. */
  faceDetections: string;
}

export const defaultDetectionTopics: DetectionTopics = {
  detections: '/detections',
  labels: '/detections/labels',
  faces: '/faces',
  faceDetections: '/faces/detections',
};

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
    const topics = options.topics ?? defaultDetectionTopics;
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
      await writer.addTopic(topics.labels, MessageTypes.LabelInfo, labelSchema);
      await writer.addTopic(topics.detections, MessageTypes.Detection2DArray, detectionSchema);
      let faceCodec: MessageCodec<FaceArrayMessage> | undefined;
      if (options.faces !== undefined) {
        const faceSchema = registry.schemaText(FACE_MESSAGE_TYPES.faceArray);
        await writer.addTopic(topics.faces, FACE_MESSAGE_TYPES.faceArray, faceSchema);
        await writer.addTopic(
          topics.faceDetections,
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

  /** Writes one frame's messages. */
  async write(result: FrameResult): Promise<void> {
    const { frame } = result;
    if (!this.labelsWritten) {
      this.labelsWritten = true;
      const info = labelInfo(frame.header, this.options.labels, this.options.scoreThreshold);
      await this.writer.write(
        this.topics.labels,
        frame.logTime,
        frame.logTime,
        this.labelCodec.encode(info),
      );
    }
    if ((this.options.includeImages ?? true) && frame.serialized !== undefined) {
      await this.writer.write(frame.topic, frame.logTime, frame.logTime, frame.serialized);
    }
    if (result.error === undefined) {
      const message = detection2DArray(frame.header, result.detections);
      await this.writer.write(
        this.topics.detections,
        frame.logTime,
        frame.logTime,
        this.detectionCodec.encode(message),
      );
      const annotationTopic = this.annotationTopicOf.get(frame.topic);
      if (this.annotationCodec !== undefined && annotationTopic !== undefined) {
        const annotations = imageAnnotations(frame.header, result.detections, result.faces);
        await this.writer.write(
          annotationTopic,
          frame.logTime,
          frame.logTime,
          this.annotationCodec.encode(annotations),
        );
      }
      const faces = this.options.faces;
      if (faces !== undefined && this.faceCodec !== undefined && result.faces !== undefined) {
        const array = faceArrayMessage(frame.header, result.faces, faces);
        await this.writer.write(
          this.topics.faces,
          frame.logTime,
          frame.logTime,
          this.faceCodec.encode(array),
        );
        const boxes = faceDetections(frame.header, result.faces);
        await this.writer.write(
          this.topics.faceDetections,
          frame.logTime,
          frame.logTime,
          this.detectionCodec.encode(boxes),
        );
      }
    }
  }

  /** Finishes the bag (complete, indexed, renamed into place). Idempotent. */
  async close(): Promise<void> {
    await this.writer.close();
  }
}
