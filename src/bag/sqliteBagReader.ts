import { readFile, stat } from 'node:fs/promises';

import Database from 'better-sqlite3';

import { BagError, errorText } from '../errors.js';
import type { MessageRegistry } from '../messages/messageRegistry.js';
import type {
  BagDamage,
  BagMessage,
  BagReader,
  ReadMessagesOptions,
  TopicInfo,
} from './bagReader.js';
import { selectTopics } from './topicSelection.js';

const SQLITE_MAGIC = 'SQLite format 3\0';

interface TopicRow {
  id: number | bigint;
  name: string;
  type: string;
  serialization_format: string;
}

interface DefinitionRow {
  topic_type: string;
  encoding: string;
  encoded_message_definition: string;
}

interface MessageRow {
  topic_id: bigint;
  timestamp: bigint;
  data: Buffer;
}

/**
 * Reads a rosbag2 sqlite3 file (.db3): the Humble schema (no message definitions stored; schemas
 * come from the registry) and the Jazzy+ schema with its `message_definitions` table.
 *
 * The file is never opened in place: rosbag2 leaves .db3 files in WAL mode, and SQLite creates
 * -wal/-shm files beside a WAL database even when opening it read-only, which would modify the
 * user's bag directory (or fail on read-only media). We read the file into memory and open that
 * copy. To keep memory to one file at a time for split bags, the copy is dropped after `open()`
 * has read the topics and loaded again for each `messages()` pass.
 */
export class Sqlite3BagReader implements BagReader {
  readonly path: string;
  readonly topics: readonly TopicInfo[];
  readonly #topicIds: ReadonlyMap<number, TopicInfo>;
  #closed = false;

  private constructor(path: string, topics: ReadonlyMap<number, TopicInfo>) {
    this.path = path;
    this.#topicIds = topics;
    this.topics = [...topics.values()];
  }

  /**
   * Reads the topics, their message counts and definitions.
   * @param registry supplies schemas the bag does not store (all of them for Humble bags).
   * @throws BagError BAG_INVALID when the file is not a rosbag2 sqlite3 bag, is truncated or
   *   corrupt, or was not closed cleanly (a -wal file beside it holds messages).
   */
  static async open(path: string, registry: MessageRegistry): Promise<Sqlite3BagReader> {
    const db = await openDatabase(path);
    try {
      const tables = new Set(
        db
          .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
          .all()
          .map((row) => row.name),
      );
      if (!tables.has('topics') || !tables.has('messages')) {
        throw new BagError(
          'BAG_INVALID',
          `${path}: an SQLite database but not a rosbag2 bag (it has no topics and messages ` +
            `tables); pass a .db3 file written by rosbag2`,
        );
      }
      const counts = new Map(
        db
          .prepare<[], { topic_id: number; count: number }>(
            'SELECT topic_id, COUNT(*) AS count FROM messages GROUP BY topic_id',
          )
          .all()
          .map((row) => [Number(row.topic_id), row.count]),
      );
      // Jazzy and later store each type's definition; Humble stores none.
      const definitions = new Map<string, DefinitionRow>();
      if (tables.has('message_definitions')) {
        for (const row of db
          .prepare<[], DefinitionRow>(
            'SELECT topic_type, encoding, encoded_message_definition FROM message_definitions',
          )
          .all()) {
          definitions.set(row.topic_type, row);
        }
      }
      const topics = new Map<number, TopicInfo>();
      for (const row of db
        .prepare<[], TopicRow>(
          'SELECT id, name, type, serialization_format FROM topics ORDER BY id',
        )
        .all()) {
        const id = Number(row.id);
        const schema = schemaOf(row.type, definitions.get(row.type), registry);
        topics.set(id, {
          name: row.name,
          type: row.type,
          schemaText: schema?.text,
          schemaEncoding: schema?.encoding,
          messageEncoding: row.serialization_format,
          messageCount: counts.get(id) ?? 0,
        });
      }
      return new Sqlite3BagReader(path, topics);
    } catch (error) {
      throw asBagError(path, error);
    } finally {
      db.close();
    }
  }

  messages(options: ReadMessagesOptions = {}): AsyncIterable<BagMessage> {
    if (this.#closed) {
      throw new Error(`the bag reader of ${this.path} is closed`);
    }
    const selected = selectTopics(this.path, this.topics, options.topics);
    return this.#iterate(selected, options.onDamage);
  }

  close(): Promise<void> {
    // Nothing stays open between passes; a running pass stops at its next message.
    this.#closed = true;
    return Promise.resolve();
  }

  async *#iterate(
    selected: ReadonlySet<string> | undefined,
    onDamage: ((damage: BagDamage) => void) | undefined,
  ): AsyncGenerator<BagMessage> {
    const ids = [...this.#topicIds]
      .filter(([, topic]) => selected === undefined || selected.has(topic.name))
      .map(([id]) => id);
    if (ids.length === 0) {
      return;
    }
    const db = await openDatabase(this.path);
    let rows: IterableIterator<MessageRow> | undefined;
    try {
      // The id breaks ties between equal stamps in recording order.
      const statement = db
        .prepare<unknown[], MessageRow>(
          `SELECT topic_id, timestamp, data FROM messages WHERE topic_id IN (${ids
            .map(() => '?')
            .join(',')}) ORDER BY timestamp, id`,
        )
        .safeIntegers(true); // nanosecond stamps exceed 2^53
      rows = statement.iterate(...ids);
      while (!this.#closed) {
        const next = rows.next();
        if (next.done === true) {
          return;
        }
        const row = next.value;
        const topic = this.#topicIds.get(Number(row.topic_id));
        if (topic === undefined) {
          continue; // unreachable: the query selects known ids only
        }
        yield {
          topic: topic.name,
          type: topic.type,
          logTime: row.timestamp,
          // rosbag2's sqlite3 storage keeps only the receive time.
          publishTime: row.timestamp,
          data: row.data,
        };
      }
    } catch (error) {
      if (onDamage === undefined || error instanceof BagError) throw asBagError(this.path, error);
      // SQLite names no offset; a sorted query cannot resume past a corrupt page.
      onDamage({
        path: this.path,
        offset: undefined,
        message:
          `${this.path}: sqlite reports ${errorText(error)}; ` +
          `the messages from there on are skipped; \`sqlite3 ${this.path} .recover\` on a copy ` +
          `may save more`,
      });
    } finally {
      // An unfinished iterator keeps the connection busy, and close() refuses a busy connection.
      rows?.return?.();
      db.close();
    }
  }
}

/** The schema a topic's type gets: the bag's own if it stores one, else the registry's. */
function schemaOf(
  type: string,
  stored: DefinitionRow | undefined,
  registry: MessageRegistry,
): { text: string; encoding: string } | undefined {
  if (
    stored !== undefined &&
    stored.encoded_message_definition !== '' &&
    stored.encoding !== 'unknown'
  ) {
    return { text: stored.encoded_message_definition, encoding: stored.encoding };
  }
  if (!registry.has(type)) {
    return undefined;
  }
  try {
    return { text: registry.schemaText(type), encoding: 'ros2msg' };
  } catch {
    // A registered type with an unregistered dependency: as unknown as an unregistered type.
    return undefined;
  }
}

/** Loads the file into memory and opens that copy (see the class comment for why). */
async function openDatabase(path: string): Promise<Database.Database> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    throw new BagError('BAG_INVALID', `${path}: cannot read: ${errorText(error)}`, {
      cause: error,
    });
  }
  await checkNoWal(path);
  if (buffer.toString('latin1', 0, SQLITE_MAGIC.length) !== SQLITE_MAGIC) {
    throw new BagError(
      'BAG_INVALID',
      `${path}: not an SQLite database; pass a .db3 file written by rosbag2`,
    );
  }
  checkLength(path, buffer);
  // Header bytes 18/19 say "WAL mode"; SQLite cannot open an in-memory image in WAL mode, and a
  // cleanly closed bag has everything in the main file, so mark the copy as rollback-journal.
  buffer[18] = 1;
  buffer[19] = 1;
  try {
    return new Database(buffer, { readonly: true });
  } catch (error) {
    throw asBagError(path, error);
  }
}

/** A non-empty -wal file beside the bag holds messages that the main file does not. */
async function checkNoWal(path: string): Promise<void> {
  const wal = `${path}-wal`;
  const size = await stat(wal).then(
    (s) => s.size,
    () => 0,
  );
  if (size > 0) {
    throw new BagError(
      'BAG_INVALID',
      `${path}: ${wal} exists (${size} bytes): the bag was not closed cleanly or is still being ` +
        `recorded, and its last messages are only in that file; let the recorder finish, or ` +
        `fold them in with \`sqlite3 ${path} 'PRAGMA wal_checkpoint(TRUNCATE)'\` on a copy`,
    );
  }
}

/** The header states the database size in pages; a shorter file was cut off. */
function checkLength(path: string, buffer: Buffer): void {
  if (buffer.length < 100) {
    throw new BagError(
      'BAG_INVALID',
      `${path}: truncated SQLite database (${buffer.length} bytes)`,
    );
  }
  const rawPageSize = buffer.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = buffer.readUInt32BE(28);
  // The page count is only valid when "version-valid-for" matches the change counter.
  const countValid = buffer.readUInt32BE(92) === buffer.readUInt32BE(24);
  if (countValid && pages > 0 && buffer.length < pageSize * pages) {
    throw new BagError(
      'BAG_INVALID',
      `${path}: truncated SQLite database (${buffer.length} bytes, its header says ` +
        `${pageSize * pages}); copy the bag again from its source`,
    );
  }
}

function asBagError(path: string, error: unknown): BagError {
  if (error instanceof BagError) {
    return error;
  }
  return new BagError(
    'BAG_INVALID',
    `${path}: corrupt sqlite3 bag: ${errorText(error)}; ` +
      `copy it again from its source, or try \`sqlite3 ${path} .recover\` on a copy`,
    { cause: error },
  );
}
