import { open, type FileHandle } from 'node:fs/promises';

import { McapIndexedReader, MCAP_MAGIC } from '@mcap/core';
import type { McapTypes } from '@mcap/core';
import { FileHandleReadable } from '@mcap/nodejs';

import { BagError } from '../errors.js';
import type { BagMessage, BagReader, ReadMessagesOptions, TopicInfo } from './bagReader.js';
import { McapStreamBagReader } from './mcapStreamBagReader.js';
import { topicInfo } from './mcapTopicInfo.js';
import { selectTopics } from './topicSelection.js';

/**
 * Reads an indexed MCAP file through its summary section (McapIndexedReader): only the summary
 * is held in memory, and chunks are read one at a time while iterating. An MCAP without a
 * summary, statistics or chunks is read by `McapStreamBagReader` instead; a truncated or
 * corrupt one is a BagError.
 */
export class McapBagReader implements BagReader {
  readonly path: string;
  readonly topics: readonly TopicInfo[];
  readonly #handle: FileHandle;
  readonly #reader: McapIndexedReader;
  #closing: Promise<void> | undefined;

  private constructor(path: string, handle: FileHandle, reader: McapIndexedReader) {
    this.path = path;
    this.#handle = handle;
    this.#reader = reader;
    this.topics = topicsOf(reader);
  }

  /**
   * Opens an MCAP file (indexed, or else by streaming it).
   * @param decompressHandlers chunk decompressors by compression name (`zstd`, `lz4`); none by
   *   default, so compressed chunks are BAG_UNSUPPORTED.
   * @throws BagError BAG_INVALID (truncated, corrupt), BAG_UNSUPPORTED (compressed chunks
   *   without a handler).
   */
  static async open(
    path: string,
    decompressHandlers: McapTypes.DecompressHandlers = {},
  ): Promise<BagReader> {
    const handle = await openFile(path);
    let reader: McapIndexedReader;
    try {
      if (!(await isComplete(handle))) {
        // An interrupted recording: read every complete record before the cut.
        await handle.close();
        return McapStreamBagReader.open(path, decompressHandlers, { truncated: true });
      }
      reader = await McapIndexedReader.Initialize({
        readable: new FileHandleReadable(handle),
        decompressHandlers,
      });
    } catch (error) {
      await handle.close();
      if (error instanceof BagError) {
        throw error;
      }
      if (errorText(error).includes('File is not indexed')) {
        return McapStreamBagReader.open(path, decompressHandlers);
      }
      throw corrupt(path, error);
    }
    const compressed = reader.chunkIndexes.find(
      (chunk) => chunk.compression !== '' && decompressHandlers[chunk.compression] === undefined,
    );
    if (compressed !== undefined) {
      await handle.close();
      throw new BagError(
        'BAG_UNSUPPORTED',
        `${path}: chunks are compressed with ${compressed.compression}, and no decompressor for ` +
          `it was given; write an uncompressed copy with \`mcap decompress ${path} -o <new file>\` ` +
          `and open that`,
      );
    }
    const statistics = reader.statistics;
    if (
      statistics === undefined ||
      (reader.chunkIndexes.length === 0 && statistics.messageCount > 0n)
    ) {
      // Without statistics there are no message counts, and without chunk indexes the indexed
      // reader finds no messages: one streaming pass gets both.
      await handle.close();
      return McapStreamBagReader.open(path, decompressHandlers);
    }
    return new McapBagReader(path, handle, reader);
  }

  messages(options: ReadMessagesOptions = {}): AsyncIterable<BagMessage> {
    this.#assertOpen();
    const selected = selectTopics(this.path, this.topics, options.topics);
    return this.#iterate(selected);
  }

  close(): Promise<void> {
    this.#closing ??= this.#handle.close();
    return this.#closing;
  }

  async *#iterate(selected: ReadonlySet<string> | undefined): AsyncGenerator<BagMessage> {
    const channels = this.#reader.channelsById;
    const types = new Map(this.topics.map((t) => [t.name, t.type]));
    try {
      for await (const record of this.#reader.readMessages(
        selected === undefined ? {} : { topics: [...selected] },
      )) {
        if (this.#closing !== undefined) {
          return;
        }
        const topic = channels.get(record.channelId)?.topic;
        if (topic === undefined) {
          throw new Error(`message on channel ${record.channelId}, which the summary lacks`);
        }
        yield {
          topic,
          type: types.get(topic) ?? '',
          logTime: record.logTime,
          publishTime: record.publishTime,
          // @mcap/core copies message data out of the chunk, so the consumer may keep it.
          data: record.data,
        };
      }
    } catch (error) {
      if (this.#closing !== undefined) {
        return; // closed while reading: the handle is gone, end quietly
      }
      throw corrupt(this.path, error);
    }
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) {
      throw new Error(`the bag reader of ${this.path} is closed`);
    }
  }
}

/** Topics from the summary, one per topic name (MCAP allows several channels per topic). */
function topicsOf(reader: McapIndexedReader): TopicInfo[] {
  const counts = reader.statistics?.channelMessageCounts;
  const byName = new Map<string, TopicInfo>();
  for (const channel of reader.channelsById.values()) {
    const count = Number(counts?.get(channel.id) ?? 0n);
    const existing = byName.get(channel.topic);
    if (existing !== undefined) {
      byName.set(channel.topic, { ...existing, messageCount: existing.messageCount + count });
      continue;
    }
    byName.set(channel.topic, topicInfo(channel, reader.schemasById.get(channel.schemaId), count));
  }
  return [...byName.values()];
}

async function openFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw new BagError('BAG_INVALID', `${path}: cannot open: ${errorText(error)}`, {
      cause: error,
    });
  }
}

/** An MCAP that a recorder did not finish lacks the magic bytes that end a complete file. */
async function isComplete(handle: FileHandle): Promise<boolean> {
  const size = (await handle.stat()).size;
  const tail = Buffer.alloc(MCAP_MAGIC.length);
  if (size >= 2 * MCAP_MAGIC.length) {
    await handle.read(tail, 0, tail.length, size - tail.length);
  }
  return MCAP_MAGIC.every((byte, i) => tail[i] === byte);
}

function corrupt(path: string, error: unknown): BagError {
  return new BagError(
    'BAG_INVALID',
    `${path}: corrupt MCAP: ${errorText(error)}; check it with \`mcap doctor ${path}\`, and ` +
      `\`mcap recover ${path} -o <new file>\` may save what is readable`,
    { cause: error },
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
