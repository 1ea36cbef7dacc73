import { parse } from '@foxglove/rosmsg';
import { MessageReader, MessageWriter } from '@foxglove/rosmsg2-serialization';

import { MessageError, errorText } from '../errors.js';
import { ensureUtf8CdrStrings } from './cdrUtf8Strings.js';
import { MessageValidator } from './messageValidator.js';
import { isServiceEventSchema, serviceEventSchemaText } from './serviceEventSchema.js';

/**
 * CDR encoding and decoding of one ROS 2 message type, built from its ros2msg schema text (as in
 * MCAP files, or `MessageRegistry.schemaText()`).
 *
 * Decoded values use the reader's JS types: primitive arrays are typed arrays (uint8[] ->
 * Uint8Array, float64[36] -> Float64Array), bool[] and string[] plain arrays, int64/uint64
 * bigint, Time/Duration `{sec, nanosec}`. `encode()` validates first: the serialiser would
 * otherwise write 0/"" for a missing or misspelled field without a word.
 *
 * @typeParam T the TS shape of the message (see src/messages/types.ts); unchecked at compile
 *   time against the schema, checked at run time by `encode()`.
 */
export class MessageCodec<T = unknown> {
  /** Full type name, e.g. `sensor_msgs/msg/Image`. */
  readonly typeName: string;
  readonly #reader: MessageReader<T>;
  readonly #writer: MessageWriter;
  readonly #validator: MessageValidator;

  private constructor(typeName: string, schemaText: string) {
    this.typeName = typeName;
    // rosbag2 records service events with the .srv text; rebuild the Event definition.
    const text = isServiceEventSchema(typeName, schemaText)
      ? serviceEventSchemaText(typeName, schemaText)
      : schemaText;
    let definitions: ReturnType<typeof parse>;
    try {
      definitions = parse(text, { ros2: true });
    } catch (error) {
      throw new MessageError(
        'MESSAGE_INVALID',
        `the schema of ${typeName} does not parse as ros2msg: ${errorText(error)}`,
        { cause: error },
      );
    }
    this.#reader = new MessageReader<T>(definitions);
    this.#writer = new MessageWriter(definitions);
    this.#validator = new MessageValidator(typeName, definitions);
  }

  /**
   * @param typeName full type name (`pkg/msg/Type`), quoted in errors.
   * @param schemaText ros2msg schema: the .msg text, then each dependency after a line of 80 `=`
   *   and `MSG: pkg/Type`.
   * @throws MessageError (MESSAGE_INVALID) when the schema does not parse or lacks a dependency.
   */
  static fromSchema<T = unknown>(typeName: string, schemaText: string): MessageCodec<T> {
    return new MessageCodec<T>(typeName, schemaText);
  }

  /**
   * Checks a message object against the definition.
   * @throws MessageError (MESSAGE_INVALID) naming the field path and the type.
   */
  validate(message: unknown): asserts message is T {
    this.#validator.validate(message);
  }

  /**
   * Validates, then serialises to CDR (little endian, with the 4-byte encapsulation header).
   * Strings are written as UTF-8 with their byte length (see cdrUtf8Strings.ts).
   * @throws MessageError (MESSAGE_INVALID) naming the field path and the type.
   */
  encode(message: T): Uint8Array {
    this.validate(message);
    ensureUtf8CdrStrings();
    try {
      return this.#writer.writeMessage(message);
    } catch (error) {
      throw new MessageError(
        'MESSAGE_INVALID',
        `cannot encode ${this.typeName}: ${errorText(error)}`,
        { cause: error },
      );
    }
  }

  /**
   * Deserialises CDR bytes. Primitive arrays in the result are views into `data`'s buffer
   * where alignment allows (uint8[] always, so an image's pixels are not copied): copy `data`
   * first if its buffer will be reused while the message is alive.
   * @throws MessageError (MESSAGE_INVALID) when the bytes are too short or malformed for the type.
   */
  decode(data: Uint8Array): T {
    try {
      return this.#reader.readMessage(data);
    } catch (error) {
      throw new MessageError(
        'MESSAGE_INVALID',
        `cannot decode ${data.byteLength} bytes as ${this.typeName}: ${errorText(error)}`,
        { cause: error },
      );
    }
  }
}
