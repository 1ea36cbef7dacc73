import type { parse } from '@foxglove/rosmsg';

import { MessageError } from '../errors.js';

// Taken from @foxglove/rosmsg's own signature: @foxglove/message-definition is not our dependency.
type MessageDefinition = ReturnType<typeof parse>[number];
type MessageDefinitionField = MessageDefinition['definitions'][number];

type Fields = readonly MessageDefinitionField[];

/** builtin_interfaces Time and Duration: @foxglove/rosmsg parses both into `time`/`duration`. */
const TIME_FIELDS: Fields = [
  { name: 'sec', type: 'int32' },
  { name: 'nanosec', type: 'uint32' },
];

const INTEGER_RANGES: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['int8', [-0x80, 0x7f]],
  ['uint8', [0, 0xff]],
  ['int16', [-0x8000, 0x7fff]],
  ['uint16', [0, 0xffff]],
  ['int32', [-0x80000000, 0x7fffffff]],
  ['uint32', [0, 0xffffffff]],
]);

const BIGINT_RANGES: ReadonlyMap<string, readonly [bigint, bigint]> = new Map([
  ['int64', [-(2n ** 63n), 2n ** 63n - 1n]],
  ['uint64', [0n, 2n ** 64n - 1n]],
]);

type TypedArrayClass = abstract new (...args: never[]) => ArrayBufferView;

/**
 * The typed arrays that rosmsg2-serialization writes for each primitive array type. Any other
 * typed array (a Float64Array for float32[], say) it silently replaces with zeros.
 */
const TYPED_ARRAYS: ReadonlyMap<string, readonly TypedArrayClass[]> = new Map<
  string,
  readonly TypedArrayClass[]
>([
  ['int8', [Int8Array]],
  ['uint8', [Uint8Array, Uint8ClampedArray]],
  ['int16', [Int16Array]],
  ['uint16', [Uint16Array]],
  ['int32', [Int32Array]],
  ['uint32', [Uint32Array]],
  ['int64', [BigInt64Array]],
  ['uint64', [BigUint64Array]],
  ['float32', [Float32Array]],
  ['float64', [Float64Array]],
]);

const textEncoder = new TextEncoder();

/**
 * Checks a message object against its parsed definition before it is serialised, because
 * rosmsg2-serialization writes 0, "" or false for a missing, misspelled or mistyped field without
 * a word. Rules: every field present, no other keys, each value of the JS type the reader
 * returns (numbers in range, bigint for 64-bit integers, typed or plain arrays of the element
 * type), fixed array lengths exact, bounds respected, no NUL in strings.
 */
export class MessageValidator {
  readonly #typeName: string;
  readonly #root: Fields;
  readonly #types: ReadonlyMap<string, Fields>;

  /**
   * @param typeName full type name, quoted in errors.
   * @param definitions parsed definitions (`parse(text, {ros2: true})`), root first.
   */
  constructor(typeName: string, definitions: readonly MessageDefinition[]) {
    const root = definitions[0];
    if (root === undefined) {
      throw new TypeError(`'definitions' of ${typeName} must not be empty`);
    }
    this.#typeName = typeName;
    this.#root = root.definitions;
    this.#types = new Map(definitions.map((d) => [d.name ?? '', d.definitions]));
  }

  /**
   * @throws MessageError (MESSAGE_INVALID) naming the field path (e.g.
   *   `detections[0].bbox.center.position.x`) and the message type.
   */
  validate(message: unknown): void {
    this.#checkStruct(message, this.#root, '', this.#typeName);
  }

  #fail(path: string, problem: string): never {
    const where = path === '' ? 'the message' : `field '${path}'`;
    throw new MessageError('MESSAGE_INVALID', `invalid ${this.#typeName}: ${where} ${problem}`);
  }

  #checkStruct(value: unknown, fields: Fields, path: string, structType: string): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.#fail(path, `must be a ${structType} object, got ${describe(value)}`);
    }
    const record = value as Record<string, unknown>;
    const dataFields = fields.filter((f) => f.isConstant !== true);
    const names = new Set(dataFields.map((f) => f.name));
    for (const key of Object.keys(record)) {
      if (!names.has(key)) {
        this.#fail(
          join(path, key),
          `is not a field of ${structType} (its fields: ${[...names].join(', ')})`,
        );
      }
    }
    for (const field of dataFields) {
      const fieldPath = join(path, field.name);
      if (!(field.name in record) || record[field.name] === undefined) {
        this.#fail(fieldPath, `(${fieldTypeText(field)}) is missing`);
      }
      this.#checkField(record[field.name], field, fieldPath);
    }
  }

  #checkField(value: unknown, field: MessageDefinitionField, path: string): void {
    if (field.isArray === true) {
      this.#checkArray(value, field, path);
    } else {
      this.#checkSingle(value, field, path);
    }
  }

  #checkSingle(value: unknown, field: MessageDefinitionField, path: string): void {
    if (field.isComplex === true) {
      this.#checkStruct(value, this.#nested(field.type, path), path, field.type);
    } else if (field.type === 'time' || field.type === 'duration') {
      this.#checkStruct(value, TIME_FIELDS, path, field.type);
    } else {
      const problem = primitiveProblem(field.type, value, field.upperBound);
      if (problem !== undefined) {
        this.#fail(path, problem);
      }
    }
  }

  #checkArray(value: unknown, field: MessageDefinitionField, path: string): void {
    const typedClasses = TYPED_ARRAYS.get(field.type);
    let length: number;
    let plain: readonly unknown[] | undefined;
    if (ArrayBuffer.isView(value)) {
      if (typedClasses?.some((c) => value instanceof c) !== true) {
        const allowed = typedClasses === undefined ? '' : ` or ${typedClasses[0]?.name ?? ''}`;
        this.#fail(
          path,
          `must be an array${allowed} for ${fieldTypeText(field)}, got ${describe(value)}`,
        );
      }
      length = (value as unknown as ArrayLike<unknown>).length;
    } else if (Array.isArray(value)) {
      plain = value;
      length = value.length;
    } else {
      this.#fail(path, `must be an array for ${fieldTypeText(field)}, got ${describe(value)}`);
    }
    if (field.arrayLength !== undefined && length !== field.arrayLength) {
      this.#fail(path, `must have exactly ${field.arrayLength} items, got ${length}`);
    }
    if (field.arrayUpperBound !== undefined && length > field.arrayUpperBound) {
      this.#fail(path, `must have at most ${field.arrayUpperBound} items, got ${length}`);
    }
    if (plain === undefined) {
      return;
    }
    const bigintElements = BIGINT_RANGES.has(field.type);
    for (let i = 0; i < plain.length; i++) {
      const item = plain[i];
      // The writer builds a BigInt64Array from a plain int64 array, which rejects numbers.
      if (bigintElements && typeof item !== 'bigint') {
        this.#fail(`${path}[${i}]`, `must be a bigint (${field.type}), got ${describe(item)}`);
      }
      this.#checkSingle(item, field, `${path}[${i}]`);
    }
  }

  #nested(type: string, path: string): Fields {
    const fields = this.#types.get(type);
    if (fields === undefined) {
      this.#fail(path, `has type ${type}, which the definition does not include`);
    }
    return fields;
  }
}

/** Why `value` is not a valid `type` value, or undefined when it is. */
function primitiveProblem(
  type: string,
  value: unknown,
  upperBound: number | undefined,
): string | undefined {
  const range = INTEGER_RANGES.get(type);
  if (range !== undefined) {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return `must be an integer (${type}), got ${describe(value)}`;
    }
    return value < range[0] || value > range[1]
      ? `must be in [${range[0]}, ${range[1]}] (${type}), got ${value}`
      : undefined;
  }
  const bigRange = BIGINT_RANGES.get(type);
  if (bigRange !== undefined) {
    let big: bigint;
    if (typeof value === 'bigint') {
      big = value;
    } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
      big = BigInt(value);
    } else {
      return `must be a bigint or a safe integer (${type}), got ${describe(value)}`;
    }
    return big < bigRange[0] || big > bigRange[1]
      ? `must be in [${bigRange[0]}, ${bigRange[1]}] (${type}), got ${big}`
      : undefined;
  }
  switch (type) {
    case 'float32':
    case 'float64':
      return typeof value === 'number'
        ? undefined
        : `must be a number (${type}), got ${describe(value)}`;
    case 'bool':
      return typeof value === 'boolean'
        ? undefined
        : `must be a boolean (bool), got ${describe(value)}`;
    case 'string': {
      if (typeof value !== 'string') {
        return `must be a string, got ${describe(value)}`;
      }
      if (value.includes('\0')) {
        return 'must not contain NUL characters (CDR strings end at the first NUL)';
      }
      if (upperBound !== undefined) {
        const bytes = textEncoder.encode(value).byteLength;
        if (bytes > upperBound) {
          return `must be at most ${upperBound} bytes (string<=${upperBound}), got ${bytes}`;
        }
      }
      return undefined;
    }
    case 'wstring':
      return 'is a wstring, which this codec does not support';
    default:
      return `has type ${type}, which this codec does not know`;
  }
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function fieldTypeText(field: MessageDefinitionField): string {
  if (field.isArray !== true) {
    return field.type;
  }
  if (field.arrayLength !== undefined) {
    return `${field.type}[${field.arrayLength}]`;
  }
  return field.arrayUpperBound !== undefined
    ? `${field.type}[<=${field.arrayUpperBound}]`
    : `${field.type}[]`;
}

/** A short description of a value for error messages. */
function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return `an array of ${value.length}`;
  }
  if (ArrayBuffer.isView(value)) {
    return value.constructor.name;
  }
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  if (typeof value === 'object') {
    const name = (value as { constructor?: { name?: string } }).constructor?.name;
    return name === undefined || name === 'Object' ? 'an object' : `a ${name}`;
  }
  return typeof value;
}
