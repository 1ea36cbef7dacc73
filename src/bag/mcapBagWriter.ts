import { open, readFile, rename, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from '@foxglove/rosmsg';
import { McapWriter, type IWritable } from '@mcap/core';

import { BagError, MessageError, errorText } from '../errors.js';

/** Options of `McapBagWriter.create()`. */
export interface McapBagWriterOptions {
  /** Replace an existing file at the path (and a stale `<path>.partial`). Default false. */
  readonly force?: boolean;
  /**
   * Bytes of messages per chunk before it is written out. Default 1 MiB: small enough for
   * embedded boards, large enough that chunk overhead is negligible.
   */
  readonly chunkSize?: number;
}

const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_]*\/(msg|srv|action)\/[A-Za-z][A-Za-z0-9_]*$/;
const MAX_UINT64 = 2n ** 64n - 1n;
const textEncoder = new TextEncoder();

interface TopicEntry {
  readonly type: string;
  readonly schemaText: string;
  readonly registered: Promise<void>;
  channelId: number | undefined;
  sequence: number;
}

/**
 * Writes an MCAP file that rosbag2 (`ros2 bag play`, storage mcap) and Foxglove read: profile
 * `ros2`, schemas encoded `ros2msg` named `pkg/msg/Type`, messages `cdr`, chunked, with message
 * and chunk indexes, statistics and summary offsets (no compression), and a header library
 * string `mobilenet-ros <version>`: a real Humble rosbag2 refused an MCAP whose library string
 * was one character long.
 *
 * The file is written as `<path>.partial` and renamed to `<path>` by `close()`, so `<path>`
 * only ever names a complete file. McapWriter calls must not overlap, so every call goes
 * through an internal queue: callers may fire `write()`s from a stream without awaiting each.
 * The first I/O failure rejects that call's promise and every later one, and `close()`
 * (so fire-and-forget callers see it there).
 */
export class McapBagWriter {
  /** The final path of the file. */
  readonly path: string;
  readonly #partialPath: string;
  readonly #force: boolean;
  readonly #handle: FileHandle;
  readonly #writer: McapWriter;
  readonly #topics = new Map<string, TopicEntry>();
  readonly #schemaIds = new Map<string, number>();
  #queue: Promise<void> = Promise.resolve();
  #failure: { error: unknown } | undefined;
  #closing: Promise<void> | undefined;

  private constructor(
    filePath: string,
    partialPath: string,
    force: boolean,
    handle: FileHandle,
    writer: McapWriter,
  ) {
    this.path = filePath;
    this.#partialPath = partialPath;
    this.#force = force;
    this.#handle = handle;
    this.#writer = writer;
  }

  /**
   * Creates `<filePath>.partial` and writes the MCAP header.
   * @throws BagError BAG_OUTPUT_EXISTS when `filePath` (or a `.partial` beside it) exists and
   *   `force` is not set; BAG_WRITE_FAILED when the file cannot be created.
   */
  static async create(
    filePath: string,
    options: McapBagWriterOptions = {},
  ): Promise<McapBagWriter> {
    const force = options.force ?? false;
    const chunkSize = options.chunkSize ?? 1024 * 1024;
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) {
      throw new RangeError(`'chunkSize' must be a positive integer, got ${chunkSize}`);
    }
    if (!force && (await exists(filePath))) {
      throw new BagError(
        'BAG_OUTPUT_EXISTS',
        `${filePath} exists; choose another output path, or pass force to replace it`,
      );
    }
    const partialPath = `${filePath}.partial`;
    let handle: FileHandle;
    try {
      handle = await open(partialPath, force ? 'w' : 'wx');
    } catch (error) {
      if (isErrno(error, 'EEXIST')) {
        throw new BagError(
          'BAG_OUTPUT_EXISTS',
          `${partialPath} exists: another writer is using it, or an earlier run stopped before ` +
            `closing its bag; delete it, or pass force to replace it`,
          { cause: error },
        );
      }
      throw new BagError('BAG_WRITE_FAILED', `${partialPath}: cannot create: ${errorText(error)}`, {
        cause: error,
      });
    }
    const writer = new McapWriter({
      writable: new FileWritable(handle),
      useChunks: true,
      chunkSize,
      useChunkIndex: true,
      useMessageIndex: true,
      useStatistics: true,
      useSummaryOffsets: true,
      repeatSchemas: true,
      repeatChannels: true,
      // libmcap (rosbag2's writer) numbers channels from 1; some readers treat 0 as unset.
      startChannelId: 1,
    });
    try {
      await writer.start({ profile: 'ros2', library: await libraryName() });
    } catch (error) {
      await handle.close();
      throw new BagError('BAG_WRITE_FAILED', `${partialPath}: cannot write: ${errorText(error)}`, {
        cause: error,
      });
    }
    return new McapBagWriter(filePath, partialPath, force, handle, writer);
  }

  /**
   * Declares a topic. Adding the same topic again with the same type and schema is a no-op;
   * topics of one type share one schema record.
   * @param topic topic name, e.g. `/detections`.
   * @param type full type name `pkg/msg/Type`.
   * @param schemaText ros2msg schema (e.g. `MessageRegistry.schemaText(type)`).
   * @returns resolves when the channel is written; `write()` may be called before that.
   * @throws TypeError for a bad type name or a topic re-added with another type or schema;
   *   MessageError when the schema does not parse.
   */
  addTopic(topic: string, type: string, schemaText: string): Promise<void> {
    this.#assertOpen();
    if (topic === '') {
      throw new TypeError(`'topic' must not be empty`);
    }
    if (!TYPE_NAME.test(type)) {
      throw new TypeError(`'type' must be a full type name like 'pkg/msg/Type', got '${type}'`);
    }
    const existing = this.#topics.get(topic);
    if (existing !== undefined) {
      if (existing.type !== type || existing.schemaText !== schemaText) {
        throw new TypeError(
          `topic '${topic}' was added with type ${existing.type} and another schema; a topic ` +
            `has one type and one schema per bag`,
        );
      }
      return existing.registered;
    }
    try {
      // Checked here because a reader cannot decode anything behind an unparsable schema.
      parse(schemaText, { ros2: true });
    } catch (error) {
      throw new MessageError(
        'MESSAGE_INVALID',
        `the schema of ${type} for topic '${topic}' does not parse: ${errorText(error)}`,
        { cause: error },
      );
    }
    const entry: TopicEntry = {
      type,
      schemaText,
      channelId: undefined,
      sequence: 0,
      registered: this.#enqueue(async () => {
        const key = `${type}\n${schemaText}`;
        let schemaId = this.#schemaIds.get(key);
        if (schemaId === undefined) {
          schemaId = await this.#writer.registerSchema({
            name: type,
            encoding: 'ros2msg',
            data: textEncoder.encode(schemaText),
          });
          this.#schemaIds.set(key, schemaId);
        }
        entry.channelId = await this.#writer.registerChannel({
          topic,
          schemaId,
          messageEncoding: 'cdr',
          metadata: new Map(),
        });
      }),
    };
    this.#topics.set(topic, entry);
    return entry.registered;
  }

  /**
   * Queues one serialized message. `data` is copied now, so the caller may reuse its buffer.
   * @param logTime receive time in ns since the epoch (the time `ros2 bag play` replays by).
   * @param publishTime send time in ns; use `logTime` when unknown.
   * @returns resolves when the message is in the writer's chunk.
   * @throws RangeError for a topic not added, or a time outside [0, 2^64).
   */
  write(topic: string, logTime: bigint, publishTime: bigint, data: Uint8Array): Promise<void> {
    this.#assertOpen();
    const entry = this.#topics.get(topic);
    if (entry === undefined) {
      throw new RangeError(`'topic' must be added with addTopic() first, got '${topic}'`);
    }
    checkTime('logTime', logTime);
    checkTime('publishTime', publishTime);
    const copy = new Uint8Array(data);
    return this.#enqueue(async () => {
      if (entry.channelId === undefined) {
        throw new Error(`topic '${topic}' has no channel`); // its registration failed earlier
      }
      const sequence = entry.sequence;
      entry.sequence = (sequence + 1) % 0x1_0000_0000; // uint32 in MCAP
      await this.#writer.addMessage({
        channelId: entry.channelId,
        sequence,
        logTime,
        publishTime,
        data: copy,
      });
    });
  }

  /**
   * Waits for queued writes, writes the summary and footer, syncs, and renames the file to its
   * final path. Idempotent; call it on SIGINT too, to keep what was written.
   * @throws BagError BAG_WRITE_FAILED (the `.partial` file is kept for inspection), or
   *   BAG_OUTPUT_EXISTS when the final path appeared meanwhile and `force` is not set.
   */
  close(): Promise<void> {
    this.#closing ??= this.#finish();
    return this.#closing;
  }

  async #finish(): Promise<void> {
    await this.#queue;
    let failure = this.#failure;
    if (failure === undefined) {
      try {
        await this.#writer.end();
        // On a board that loses power, a renamed but unsynced file can come back empty.
        await this.#handle.sync();
      } catch (error) {
        failure = { error };
      }
    }
    try {
      await this.#handle.close();
    } catch (error) {
      failure ??= { error };
    }
    if (failure !== undefined) {
      throw new BagError(
        'BAG_WRITE_FAILED',
        `${this.#partialPath}: writing failed: ${errorText(failure.error)}; the incomplete ` +
          `file is kept (\`mcap recover\` may save its messages)`,
        { cause: failure.error },
      );
    }
    if (!this.#force && (await exists(this.path))) {
      throw new BagError(
        'BAG_OUTPUT_EXISTS',
        `${this.path} appeared while writing; the bag is complete in ${this.#partialPath}`,
      );
    }
    try {
      await rename(this.#partialPath, this.path);
    } catch (error) {
      throw new BagError(
        'BAG_WRITE_FAILED',
        `cannot rename ${this.#partialPath} to ${this.path}: ${errorText(error)}; the bag is ` +
          `complete in ${this.#partialPath}`,
        { cause: error },
      );
    }
  }

  /**
   * Runs `task` after everything queued before it. The returned promise rejects with the first
   * failure of the writer; it is marked handled so that fire-and-forget callers do not crash
   * the process, and they get the failure from `close()`.
   */
  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(async () => {
      if (this.#failure !== undefined) {
        throw this.#failure.error;
      }
      await task();
    });
    this.#queue = run.catch((error: unknown) => {
      this.#failure ??= { error };
    });
    void run.catch(() => undefined);
    return run;
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) {
      throw new Error(`the bag writer of ${this.path} is closed`);
    }
  }
}

/** IWritable over a FileHandle that writes every byte (a single write() may write fewer). */
class FileWritable implements IWritable {
  readonly #handle: FileHandle;
  #position = 0n;

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  async write(buffer: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < buffer.byteLength) {
      const { bytesWritten } = await this.#handle.write(buffer, offset, buffer.byteLength - offset);
      offset += bytesWritten;
    }
    this.#position += BigInt(buffer.byteLength);
  }

  position(): bigint {
    return this.#position;
  }
}

let library: Promise<string> | undefined;

/** `mobilenet-ros <version>` from the package's package.json, found above this module. */
function libraryName(): Promise<string> {
  library ??= (async () => {
    let directory = path.dirname(fileURLToPath(import.meta.url));
    for (;;) {
      try {
        const pkg = JSON.parse(await readFile(path.join(directory, 'package.json'), 'utf8')) as {
          name?: unknown;
          version?: unknown;
        };
        if (pkg.name === 'mobilenet-ros' && typeof pkg.version === 'string') {
          return `mobilenet-ros ${pkg.version}`;
        }
      } catch {
        // no package.json here: keep looking upwards
      }
      const parent = path.dirname(directory);
      if (parent === directory) {
        return 'mobilenet-ros (unknown version)';
      }
      directory = parent;
    }
  })();
  return library;
}

function checkTime(name: string, value: bigint): void {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_UINT64) {
    throw new RangeError(
      `'${name}' must be a bigint in [0, 2^64) nanoseconds, got ${String(value)}`,
    );
  }
}

async function exists(filePath: string): Promise<boolean> {
  return stat(filePath).then(
    () => true,
    () => false,
  );
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
