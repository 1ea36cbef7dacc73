import { createReadStream } from 'node:fs';

import { McapStreamReader } from '@mcap/core';
import type { McapTypes } from '@mcap/core';

import { BagError, errorText } from '../errors.js';
import type {
  BagDamage,
  BagMessage,
  BagReader,
  ReadMessagesOptions,
  TopicInfo,
} from './bagReader.js';
import { topicInfo } from './mcapTopicInfo.js';
import { selectTopics } from './topicSelection.js';

/** Read size of a streaming pass; large enough that a chunk of images needs few appends. */
const READ_SIZE = 1 << 20;

/**
 * Reads a complete MCAP that has no usable summary (no index, no statistics, or unchunked
 * messages) by streaming it: one pass at open for topics and counts, one pass per `messages()`
 * call. Memory stays at about one chunk. Messages come in file order, which is log-time order
 * for files written by rosbag2 and by `McapBagWriter`.
 */
export class McapStreamBagReader implements BagReader {
  readonly path: string;
  readonly topics: readonly TopicInfo[];
  readonly warning: string | undefined;
  #closed = false;

  readonly #decompressHandlers: McapTypes.DecompressHandlers;
  readonly #truncated: boolean;

  private constructor(
    path: string,
    topics: readonly TopicInfo[],
    decompressHandlers: McapTypes.DecompressHandlers,
    truncated: boolean,
  ) {
    this.path = path;
    this.topics = topics;
    this.#decompressHandlers = decompressHandlers;
    this.#truncated = truncated;
    this.warning = truncated
      ? `${path} is truncated (the recording was probably interrupted): reading the ` +
        `${topics.reduce((n, t) => n + t.messageCount, 0)} messages before the cut; a chunk cut in the middle is lost`
      : undefined;
  }

  /**
   * Scans the file once for its channels, schemas and message counts.
   * @throws BagError BAG_INVALID when the file is truncated or corrupt.
   */
  static async open(
    path: string,
    decompressHandlers: McapTypes.DecompressHandlers = {},
    options: { truncated?: boolean } = {},
  ): Promise<McapStreamBagReader> {
    const truncated = options.truncated ?? false;
    const schemas = new Map<number, McapTypes.Schema>();
    const channels = new Map<number, McapTypes.Channel>();
    const counts = new Map<number, number>();
    for await (const record of streamRecords(path, decompressHandlers, truncated)) {
      if (record.type === 'Schema') {
        schemas.set(record.id, record);
      } else if (record.type === 'Channel') {
        channels.set(record.id, record);
      } else if (record.type === 'Message') {
        counts.set(record.channelId, (counts.get(record.channelId) ?? 0) + 1);
      }
    }
    const byName = new Map<string, TopicInfo>();
    for (const channel of channels.values()) {
      const count = counts.get(channel.id) ?? 0;
      const existing = byName.get(channel.topic);
      byName.set(
        channel.topic,
        existing === undefined
          ? topicInfo(channel, schemas.get(channel.schemaId), count)
          : { ...existing, messageCount: existing.messageCount + count },
      );
    }
    return new McapStreamBagReader(path, [...byName.values()], decompressHandlers, truncated);
  }

  messages(options: ReadMessagesOptions = {}): AsyncIterable<BagMessage> {
    if (this.#closed) {
      throw new Error(`the bag reader of ${this.path} is closed`);
    }
    const selected = selectTopics(this.path, this.topics, options.topics);
    return this.#iterate(selected, options.onDamage);
  }

  close(): Promise<void> {
    // Each pass owns its own read stream; for-await closes it when the pass ends or breaks.
    this.#closed = true;
    return Promise.resolve();
  }

  async *#iterate(
    selected: ReadonlySet<string> | undefined,
    onDamage: ((damage: BagDamage) => void) | undefined,
  ): AsyncGenerator<BagMessage> {
    const channels = new Map<number, McapTypes.Channel>();
    const types = new Map(this.topics.map((t) => [t.name, t.type]));
    for await (const record of streamRecords(
      this.path,
      this.#decompressHandlers,
      this.#truncated,
      onDamage,
    )) {
      if (this.#closed) {
        return;
      }
      if (record.type === 'Channel') {
        channels.set(record.id, record);
      } else if (record.type === 'Message') {
        const topic = channels.get(record.channelId)?.topic;
        if (topic === undefined || (selected !== undefined && !selected.has(topic))) {
          continue;
        }
        yield {
          topic,
          type: types.get(topic) ?? '',
          logTime: record.logTime,
          publishTime: record.publishTime,
          data: record.data,
        };
      }
    }
  }
}

/**
 * Every record of an MCAP file, read in READ_SIZE pieces.
 * @throws BagError BAG_INVALID when the file does not parse or ends before its footer.
 */
async function* streamRecords(
  path: string,
  decompressHandlers: McapTypes.DecompressHandlers,
  truncated: boolean,
  onDamage?: (damage: BagDamage) => void,
): AsyncGenerator<McapTypes.TypedMcapRecord> {
  // Chunk CRCs are checked: a corrupt chunk is reported, not decoded into garbage.
  const reader = new McapStreamReader({ validateCrcs: true, decompressHandlers });
  const stream = createReadStream(path, { highWaterMark: READ_SIZE });
  let appended = 0;
  // Where the record being parsed starts: the parser reads a whole top-level record (a chunk)
  // in one step, so before each step this is the next record's offset.
  let recordOffset = 0;
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      reader.append(piece);
      appended += piece.length;
      for (
        recordOffset = appended - reader.bytesRemaining();
        ;
        recordOffset = appended - reader.bytesRemaining()
      ) {
        const record = reader.nextRecord();
        if (record === undefined) break;
        yield record;
      }
    }
  } catch (error) {
    const text = errorText(error);
    if (onDamage !== undefined && !text.includes('Unsupported compression')) {
      // Without an index there is no next chunk to go to: the rest of the file is lost.
      onDamage({
        path,
        offset: recordOffset,
        message:
          `${path}: the record at byte offset ${recordOffset} is corrupt (${text}); it and the ` +
          `rest of the file (an MCAP without index) are skipped; \`mcap recover ${path} -o ` +
          `<new file>\` may save more`,
      });
      return;
    }
    if (text.includes('Unsupported compression')) {
      throw new BagError(
        'BAG_UNSUPPORTED',
        `${path}: ${text}, and no decompressor for it was given; write an uncompressed ` +
          `copy with \`mcap decompress ${path} -o <new file>\` and open that`,
        { cause: error },
      );
    }
    throw new BagError(
      'BAG_INVALID',
      `${path}: corrupt MCAP: ${text}; ` +
        `\`mcap recover ${path} -o <new file>\` may save what is readable`,
      { cause: error },
    );
  } finally {
    stream.destroy();
  }
  if (!reader.done() && !truncated) {
    throw new BagError(
      'BAG_INVALID',
      `${path}: truncated MCAP (it ends before its footer; the recording was probably ` +
        `interrupted); rebuild it with \`mcap recover ${path} -o <new file>\` and open that`,
    );
  }
}
