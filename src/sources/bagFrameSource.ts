import { Observable } from 'rxjs';
import type { BagReader, TopicInfo } from '../bag/bagReader.js';
import { MessageCodec } from '../bag/messageCodec.js';
import { BagError } from '../errors.js';
import { MessageRegistry } from '../messages/messageRegistry.js';
import { MessageTypes, type CompressedImage, type Header, type Image } from '../messages/types.js';
import type { CameraFrame, FramePayload } from './cameraFrame.js';
import type { FrameSource } from './frameSource.js';

/** Options for {@link BagFrameSource.open}. */
export interface BagFrameSourceOptions {
  /** Image topics to read. Default: every Image and CompressedImage topic of the bag. */
  topics?: readonly string[];
  /** Frames read ahead of the pipeline. Default 2. */
  readAhead?: number;
}

const IMAGE_TYPES: readonly string[] = [MessageTypes.Image, MessageTypes.CompressedImage];

/**
 * Frames from the image topics of a bag, in log-time order, read lazily. A message that does
 * not deserialize becomes a frame with an 'invalid' payload (topic and log time kept), so the
 * pipeline reports it and goes on. Does not own the reader.
 */
export class BagFrameSource implements FrameSource {
  readonly frames: Observable<CameraFrame>;
  readonly topics: readonly TopicInfo[];
  private credits: number;
  private wake: (() => void) | undefined;

  constructor(
    private readonly reader: BagReader,
    options: BagFrameSourceOptions = {},
  ) {
    this.topics = selectImageTopics(reader, options.topics);
    this.credits = options.readAhead ?? 2;
    const registry = MessageRegistry.withBuiltins();
    const codecs = new Map(
      this.topics.map((t) => [
        t.name,
        MessageCodec.fromSchema<Image | CompressedImage>(
          t.type,
          t.schemaText ?? registry.schemaText(t.type),
        ),
      ]),
    );
    const names = this.topics.map((t) => t.name);
    this.frames = new Observable<CameraFrame>((subscriber) => {
      let stopped = false;
      const run = async (): Promise<void> => {
        let sequence = 0;
        for await (const message of reader.messages({ topics: names })) {
          if (stopped) return;
          await this.takeCredit();
          if (stopped) return;
          const codec = codecs.get(message.topic);
          const payload = decodePayload(codec, message.type, message.data);
          subscriber.next({
            topic: message.topic,
            header:
              payload.kind === 'invalid'
                ? headerFromLogTime(message.logTime)
                : payload.image.header,
            payload,
            logTime: message.logTime,
            receivedAt: process.hrtime.bigint(),
            serialized: message.data,
            sequence: sequence++,
          });
        }
        subscriber.complete();
      };
      run().catch((error: unknown) => subscriber.error(error));
      return () => {
        stopped = true;
        this.wake?.();
      };
    });
  }

  frameDone(): void {
    this.credits++;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The reader belongs to whoever opened it; nothing to release here. */
  async close(): Promise<void> {}

  private async takeCredit(): Promise<void> {
    while (this.credits <= 0) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    this.credits--;
  }
}

function selectImageTopics(reader: BagReader, wanted: readonly string[] | undefined): TopicInfo[] {
  if (wanted === undefined || wanted.length === 0) {
    const images = reader.topics.filter((t) => IMAGE_TYPES.includes(t.type));
    if (images.length === 0) {
      throw new BagError(
        'BAG_UNSUPPORTED',
        `${reader.path} has no sensor_msgs/msg/Image or CompressedImage topic (topics: ${reader.topics.map((t) => `${t.name} [${t.type}]`).join(', ') || 'none'})`,
      );
    }
    return images;
  }
  return wanted.map((name) => {
    const topic = reader.topics.find((t) => t.name === name);
    if (topic === undefined) {
      throw new BagError(
        'BAG_INVALID',
        `${reader.path} has no topic ${name}; image topics: ${
          reader.topics
            .filter((t) => IMAGE_TYPES.includes(t.type))
            .map((t) => t.name)
            .join(', ') || 'none'
        }`,
      );
    }
    if (!IMAGE_TYPES.includes(topic.type)) {
      throw new BagError(
        'BAG_UNSUPPORTED',
        `topic ${name} carries ${topic.type}, not sensor_msgs/msg/Image or CompressedImage`,
      );
    }
    return topic;
  });
}

function decodePayload(
  codec: MessageCodec<Image | CompressedImage> | undefined,
  type: string,
  data: Uint8Array,
): FramePayload {
  try {
    if (codec === undefined) throw new Error('no codec for topic');
    const message = codec.decode(data);
    return type === MessageTypes.Image
      ? { kind: 'raw', image: message as Image }
      : { kind: 'compressed', image: message as CompressedImage };
  } catch (error) {
    return { kind: 'invalid', error: error as Error };
  }
}

function headerFromLogTime(logTime: bigint): Header {
  return {
    stamp: { sec: Number(logTime / 1_000_000_000n), nanosec: Number(logTime % 1_000_000_000n) },
    frame_id: '',
  };
}
