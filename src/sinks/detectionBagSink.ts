import type { TopicInfo } from '../bag/bagReader.js';
import { McapBagWriter } from '../bag/mcapBagWriter.js';
import { MessageCodec } from '../bag/messageCodec.js';
import type { LabelMap } from '../detection/labelMap.js';
import { MessageRegistry } from '../messages/messageRegistry.js';
import { MessageTypes, type Detection2DArray, type LabelInfo } from '../messages/types.js';
import type { FrameResult } from '../pipeline/frameResult.js';
import { detection2DArray } from '../publish/detection2DArray.js';
import { labelInfo } from '../publish/labelInfo.js';

/** Output topic names of a replay. */
export interface DetectionTopics {
  /** Default '/detections'. */
  detections: string;
  /** Default '/detections/labels'. */
  labels: string;
}

export const defaultDetectionTopics: DetectionTopics = { detections: '/detections', labels: '/detections/labels' };

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
}

/**
 * Writes replay results into an MCAP bag: the input image messages unchanged (same bytes,
 * same log time), one Detection2DArray per successfully processed frame with the frame's
 * header, and LabelInfo once before the first detections. Owns the writer.
 */
export class DetectionBagSink {
  private labelsWritten = false;

  private constructor(
    private readonly writer: McapBagWriter,
    private readonly options: DetectionBagSinkOptions,
    private readonly topics: DetectionTopics,
    private readonly detectionCodec: MessageCodec<Detection2DArray>,
    private readonly labelCodec: MessageCodec<LabelInfo>,
  ) {}

  static async create(path: string, options: DetectionBagSinkOptions): Promise<DetectionBagSink> {
    const registry = MessageRegistry.withBuiltins();
    const topics = options.topics ?? defaultDetectionTopics;
    const writer = await McapBagWriter.create(path, { force: options.force ?? false });
    try {
      if (options.includeImages ?? true) {
        for (const topic of options.imageTopics) {
          await writer.addTopic(topic.name, topic.type, topic.schemaText ?? registry.schemaText(topic.type));
        }
      }
      const detectionSchema = registry.schemaText(MessageTypes.Detection2DArray);
      const labelSchema = registry.schemaText(MessageTypes.LabelInfo);
      await writer.addTopic(topics.labels, MessageTypes.LabelInfo, labelSchema);
      await writer.addTopic(topics.detections, MessageTypes.Detection2DArray, detectionSchema);
      return new DetectionBagSink(
        writer,
        options,
        topics,
        MessageCodec.fromSchema<Detection2DArray>(MessageTypes.Detection2DArray, detectionSchema),
        MessageCodec.fromSchema<LabelInfo>(MessageTypes.LabelInfo, labelSchema),
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
      await this.writer.write(this.topics.labels, frame.logTime, frame.logTime, this.labelCodec.encode(info));
    }
    if ((this.options.includeImages ?? true) && frame.serialized !== undefined) {
      await this.writer.write(frame.topic, frame.logTime, frame.logTime, frame.serialized);
    }
    if (result.error === undefined) {
      const message = detection2DArray(frame.header, result.detections);
      await this.writer.write(this.topics.detections, frame.logTime, frame.logTime, this.detectionCodec.encode(message));
    }
  }

  /** Finishes the bag (complete, indexed, renamed into place). Idempotent. */
  async close(): Promise<void> {
    await this.writer.close();
  }
}
