import type { BagMessage, BagReader, ReadMessagesOptions, TopicInfo } from './bagReader.js';
import { selectTopics } from './topicSelection.js';

/**
 * A bag directory: the readers of its files, read one after another. rosbag2 splits a recording
 * by size or duration, so each file continues where the previous one ended and reading them in
 * metadata.yaml order keeps log-time order without holding more than one file's pass open.
 * Owns the file readers and closes them.
 */
export class MultiFileBagReader implements BagReader {
  readonly path: string;
  readonly topics: readonly TopicInfo[];
  readonly #files: readonly BagReader[];
  #closing: Promise<void> | undefined;

  /**
   * @param path the bag directory.
   * @param files readers of its files in recording order; this reader takes ownership.
   */
  constructor(path: string, files: readonly BagReader[]) {
    this.path = path;
    this.#files = files;
    this.topics = mergeTopics(files);
  }

  messages(options: ReadMessagesOptions = {}): AsyncIterable<BagMessage> {
    if (this.#closing !== undefined) {
      throw new Error(`the bag reader of ${this.path} is closed`);
    }
    const selected = selectTopics(this.path, this.topics, options.topics);
    return this.#iterate(selected, options.onDamage);
  }

  close(): Promise<void> {
    this.#closing ??= Promise.all(this.#files.map((file) => file.close())).then(() => undefined);
    return this.#closing;
  }

  async *#iterate(
    selected: ReadonlySet<string> | undefined,
    onDamage: ReadMessagesOptions['onDamage'],
  ): AsyncGenerator<BagMessage> {
    for (const file of this.#files) {
      if (this.#closing !== undefined) {
        return;
      }
      // A file need not have every topic of the bag: ask each only for the ones it has.
      const topics =
        selected === undefined
          ? undefined
          : file.topics.map((t) => t.name).filter((name) => selected.has(name));
      if (topics !== undefined && topics.length === 0) {
        continue;
      }
      yield* file.messages({
        ...(topics === undefined ? {} : { topics }),
        ...(onDamage === undefined ? {} : { onDamage }),
      });
    }
  }
}

/** One entry per topic name: counts summed, schema from the first file that has one. */
function mergeTopics(files: readonly BagReader[]): TopicInfo[] {
  const byName = new Map<string, TopicInfo>();
  for (const file of files) {
    for (const topic of file.topics) {
      const existing = byName.get(topic.name);
      if (existing === undefined) {
        byName.set(topic.name, topic);
      } else {
        byName.set(topic.name, {
          ...existing,
          schemaText: existing.schemaText ?? topic.schemaText,
          schemaEncoding:
            existing.schemaText === undefined ? topic.schemaEncoding : existing.schemaEncoding,
          messageCount: existing.messageCount + topic.messageCount,
        });
      }
    }
  }
  return [...byName.values()];
}
