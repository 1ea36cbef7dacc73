/**
 * The read side of a rosbag2 recording, whatever its storage (MCAP, sqlite3) or layout (one
 * file, or a bag directory with metadata.yaml). Created by `openBag()`.
 */

/** One topic of a bag. */
export interface TopicInfo {
  /** Topic name, e.g. `/camera/image_raw`. */
  readonly name: string;
  /** Full message type, e.g. `sensor_msgs/msg/Image`. */
  readonly type: string;
  /**
   * Message definition as stored in the bag; for a Humble .db3 (which stores none) the
   * registry's schema of `type`; undefined when neither has it, or the bag's is empty.
   */
  readonly schemaText: string | undefined;
  /** Encoding of `schemaText`: `ros2msg`, `ros2idl`, ...; undefined with `schemaText`. */
  readonly schemaEncoding: string | undefined;
  /** Serialisation of the messages; `cdr` for ROS 2. */
  readonly messageEncoding: string;
  /** Number of messages on the topic in the whole bag. */
  readonly messageCount: number;
}

/** One serialized message. */
export interface BagMessage {
  readonly topic: string;
  /** Full message type of the topic. */
  readonly type: string;
  /** When the recorder received the message, in nanoseconds since the epoch. */
  readonly logTime: bigint;
  /** When the publisher sent it, where the bag stores that; otherwise `logTime`. */
  readonly publishTime: bigint;
  /** The serialized message (CDR for ROS 2); owned by the consumer, not reused by the reader. */
  readonly data: Uint8Array;
}

/** Options of `BagReader.messages()`. */
export interface ReadMessagesOptions {
  /**
   * Topics to read; default all. Naming a topic the bag does not have is a RangeError rather
   * than an empty result, so a typo does not look like an empty recording.
   */
  readonly topics?: readonly string[];
  /**
   * Called for each part of the bag that cannot be read (a corrupt MCAP chunk, a corrupt sqlite3
   * page), which the pass then skips, going on with what follows where the storage allows.
   * Without it, damage ends the pass with a BagError (BAG_INVALID).
   */
  readonly onDamage?: (damage: BagDamage) => void;
}

/** A part of a bag that could not be read and was skipped. */
export interface BagDamage {
  /** The file the damage is in. */
  readonly path: string;
  /** Byte offset in the file of the damaged record (MCAP chunk), or undefined when unknown. */
  readonly offset: number | undefined;
  /** What is wrong and what was skipped, for people. */
  readonly message: string;
}

/** A bag opened for reading. Owns its file handles until `close()`. */
export interface BagReader {
  /** The path the bag was opened from. */
  readonly path: string;
  /**
   * Set when the bag is readable only in part (e.g. a truncated recording): what is missing.
   * The messages before the damage are still delivered.
   */
  readonly warning?: string;
  /** Topics of the bag, in the order the storage lists them. */
  readonly topics: readonly TopicInfo[];
  /**
   * Messages in log-time order, streamed from disk. Each call starts a new pass. Read and
   * storage errors surface as BagError from the iteration.
   */
  messages(options?: ReadMessagesOptions): AsyncIterable<BagMessage>;
  /** Releases file handles and memory. Idempotent. */
  close(): Promise<void>;
}
