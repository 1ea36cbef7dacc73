import { open, type FileHandle } from 'node:fs/promises';

import { McapIndexedReader, McapRecordBuilder, McapStreamReader, MCAP_MAGIC } from '@mcap/core';
import type { McapTypes } from '@mcap/core';
import { FileHandleReadable } from '@mcap/nodejs';

import { BagError, errorText } from '../errors.js';
import type {
  BagDamage,
  BagMessage,
  BagReader,
  ReadMessagesOptions,
  TopicInfo,
} from './bagReader.js';
import { McapStreamBagReader } from './mcapStreamBagReader.js';
import { topicInfo } from './mcapTopicInfo.js';
import { selectTopics } from './topicSelection.js';

/**
 * Reads an indexed MCAP file through its summary section (McapIndexedReader): only the summary
 * is held in memory, and chunks are read one at a time while iterating, each CRC-checked on its
 * own, so a corrupt chunk can be skipped (with `onDamage`) and reading go on with the next. An
 * MCAP without a summary, statistics or chunks is read by `McapStreamBagReader` instead; a
 * truncated or corrupt one is a BagError.
 */
export class McapBagReader implements BagReader {
  readonly path: string;
  readonly topics: readonly TopicInfo[];
  readonly #handle: FileHandle;
  readonly #reader: McapIndexedReader;
  readonly #decompressHandlers: McapTypes.DecompressHandlers;
  /** The summary's schemas and channels as records, fed to the parser before each chunk. */
  readonly #prelude: Uint8Array;
  #closing: Promise<void> | undefined;

  private constructor(
    path: string,
    handle: FileHandle,
    reader: McapIndexedReader,
    decompressHandlers: McapTypes.DecompressHandlers,
  ) {
    this.path = path;
    this.#handle = handle;
    this.#reader = reader;
    this.#decompressHandlers = decompressHandlers;
    this.topics = topicsOf(reader);
    const builder = new McapRecordBuilder();
    for (const schema of reader.schemasById.values()) builder.writeSchema(schema);
    for (const channel of reader.channelsById.values()) builder.writeChannel(channel);
    this.#prelude = builder.buffer.slice();
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
    return new McapBagReader(path, handle, reader, decompressHandlers);
  }

  messages(options: ReadMessagesOptions = {}): AsyncIterable<BagMessage> {
    this.#assertOpen();
    const selected = selectTopics(this.path, this.topics, options.topics);
    return this.#iterate(selected, options.onDamage);
  }

  close(): Promise<void> {
    this.#closing ??= this.#handle.close();
    return this.#closing;
  }

  /**
   * Reads chunk by chunk, so that one damaged chunk costs only its own messages: chunks whose
   * time ranges overlap are read together and merged by log time (ties in file order), as
   * McapIndexedReader orders them; recordings (rosbag2, McapBagWriter) write chunks one after
   * another in time, so that is usually one chunk at a time.
   */
  async *#iterate(
    selected: ReadonlySet<string> | undefined,
    onDamage: ((damage: BagDamage) => void) | undefined,
  ): AsyncGenerator<BagMessage> {
    const channels = this.#reader.channelsById;
    const wanted = new Set(
      [...channels.values()]
        .filter((c) => selected === undefined || selected.has(c.topic))
        .map((c) => c.id),
    );
    const types = new Map(this.topics.map((t) => [t.name, t.type]));
    const chunks = [...this.#reader.chunkIndexes].sort((a, b) =>
      compare(a.messageStartTime, b.messageStartTime),
    );
    let group: McapTypes.ChunkIndex[] = [];
    let groupEnd = 0n;
    for (const [i, chunk] of chunks.entries()) {
      group.push(chunk);
      groupEnd =
        group.length === 1 || chunk.messageEndTime > groupEnd ? chunk.messageEndTime : groupEnd;
      const next = chunks[i + 1];
      if (next !== undefined && next.messageStartTime <= groupEnd) continue;
      const messages: McapTypes.Message[] = [];
      for (const member of group.sort((a, b) => compare(a.chunkStartOffset, b.chunkStartOffset))) {
        if (this.#closing !== undefined) return; // closed while reading: end quietly
        try {
          messages.push(...(await this.#chunkMessages(member, wanted)));
        } catch (error) {
          if (this.#closing !== undefined) return;
          const offset = Number(member.chunkStartOffset);
          const damage = corrupt(this.path, error, offset);
          if (onDamage === undefined) throw damage;
          onDamage({
            path: this.path,
            offset,
            message: `${this.path}: chunk at byte offset ${offset} (${member.chunkLength} bytes) is corrupt (${errorText(error)}); its messages are skipped`,
          });
        }
      }
      // Stable: equal log times keep file order.
      messages.sort((a, b) => compare(a.logTime, b.logTime));
      for (const record of messages) {
        if (this.#closing !== undefined) return;
        const topic = channels.get(record.channelId)?.topic ?? '';
        yield {
          topic,
          type: types.get(topic) ?? '',
          logTime: record.logTime,
          publishTime: record.publishTime,
          data: record.data,
        };
      }
      group = [];
    }
  }

  /**
   * The wanted messages of one chunk, parsed by @mcap/core's stream reader (CRC checked,
   * decompressed), which is first told the summary's schemas and channels: a chunk need not
   * repeat them.
   */
  async #chunkMessages(
    chunk: McapTypes.ChunkIndex,
    wanted: ReadonlySet<number>,
  ): Promise<McapTypes.Message[]> {
    const length = Number(chunk.chunkLength);
    const bytes = new Uint8Array(length);
    const { bytesRead } = await this.#handle.read(bytes, 0, length, Number(chunk.chunkStartOffset));
    if (bytesRead !== length) {
      throw new Error(`chunk ends at the end of the file after ${bytesRead} of ${length} bytes`);
    }
    const parser = new McapStreamReader({
      noMagicPrefix: true,
      validateCrcs: true,
      decompressHandlers: this.#decompressHandlers,
    });
    parser.append(this.#prelude);
    parser.append(bytes);
    const messages: McapTypes.Message[] = [];
    for (let record = parser.nextRecord(); record !== undefined; record = parser.nextRecord()) {
      if (record.type === 'Message' && wanted.has(record.channelId)) messages.push(record);
    }
    if (parser.bytesRemaining() !== 0) {
      throw new Error(`${parser.bytesRemaining()} bytes of the chunk do not parse`);
    }
    return messages;
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

function corrupt(path: string, error: unknown, offset?: number): BagError {
  const where = offset === undefined ? '' : `chunk at byte offset ${offset}: `;
  return new BagError(
    'BAG_INVALID',
    `${path}: corrupt MCAP: ${where}${errorText(error)}; check it with \`mcap doctor ${path}\`, and ` +
      `\`mcap recover ${path} -o <new file>\` may save what is readable`,
    { cause: error },
  );
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
