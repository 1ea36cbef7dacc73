import type { Observable } from 'rxjs';
import type { BagDamage, BagReader, ReadMessagesOptions, TopicInfo } from '../bag/bagReader.js';
import { MessageCodec } from '../bag/messageCodec.js';
import { BagError } from '../errors.js';
import { MessageRegistry } from '../messages/messageRegistry.js';
import { MessageTypes, type CompressedImage, type Header, type Image } from '../messages/types.js';
import type { CameraFrame, FramePayload } from './cameraFrame.js';
import type { FrameSource } from './frameSource.js';
import { ReadAheadFrames } from './readAheadFrames.js';

/** Options for {@link BagFrameSource.open}. */
export interface BagFrameSourceOptions {
  /** Image topics to read. Default: every Image and CompressedImage topic of the bag. */
  topics?: readonly string[];
  /** Frames read ahead of the pipeline (handed out, not yet done). Default 2. */
  readAhead?: number;
  /**
   * Told of each damaged part of the bag, which is then skipped (see ReadMessagesOptions).
   * Default: damage ends the frames with a BagError.
   */
  onDamage?: (damage: BagDamage) => void;
}

const IMAGE_TYPES: readonly string[] = [MessageTypes.Image, MessageTypes.CompressedImage];

/**
 * Frames from the image topics of a bag, in log-time order, read lazily and only a little ahead
 * of the pipeline (see ReadAheadFrames: one subscription at a time; unsubscribing ends the
 * reader's pass). A message that does not deserialize becomes a frame with an 'invalid' payload
 * (topic and log time kept), so the pipeline reports it and goes on. Does not own the reader.
 */
export class BagFrameSource implements FrameSource {
  readonly frames: Observable<CameraFrame>;
  readonly topics: readonly TopicInfo[];
  readonly #paced: ReadAheadFrames;

  constructor(reader: BagReader, options: BagFrameSourceOptions = {}) {
    this.topics = selectImageTopics(reader, options.topics);
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
    this.#paced = new ReadAheadFrames({
      name: `frames of ${reader.path}`,
      readAhead: options.readAhead,
      read: () => readFrames(reader, { topics: names, onDamage: options.onDamage }, codecs),
    });
    this.frames = this.#paced.frames;
  }

  frameDone(): void {
    this.#paced.frameDone();
  }

  /** The reader belongs to whoever opened it; nothing to release here. */
  async close(): Promise<void> {}
}

/** One pass over the bag; its `return()` (on unsubscribe) ends the reader's pass too. */
async function* readFrames(
  reader: BagReader,
  options: ReadMessagesOptions,
  codecs: ReadonlyMap<string, MessageCodec<Image | CompressedImage>>,
): AsyncGenerator<CameraFrame> {
  let sequence = 0;
  for await (const message of reader.messages(options)) {
    const payload = decodePayload(codecs.get(message.topic), message.type, message.data);
    yield {
      topic: message.topic,
      header:
        payload.kind === 'invalid' ? headerFromLogTime(message.logTime) : payload.image.header,
      payload,
      logTime: message.logTime,
      receivedAt: process.hrtime.bigint(),
      serialized: message.data,
      sequence: sequence++,
    };
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
