import { parse } from '@foxglove/rosmsg';

import { MessageError, errorText } from '../errors.js';
import { builtinDefinitions } from './definitions.js';

/** The separator rosbag2 and Foxglove put between the definitions of a ros2msg schema. */
const SCHEMA_SEPARATOR = '='.repeat(80);

/** Primitive .msg types: anything else in a field's type position names a message. */
const PRIMITIVE_TYPES: ReadonlySet<string> = new Set([
  'bool',
  'byte',
  'char',
  'float32',
  'float64',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'string',
  'wstring',
]);

const TYPE_NAME = /^([A-Za-z][A-Za-z0-9_]*)\/(?:msg\/)?([A-Za-z][A-Za-z0-9_]*)$/;

/**
 * Normalises a message type name to its full form `pkg/msg/Type`; accepts `pkg/Type` too.
 * @throws TypeError when the name is not a message type name.
 */
export function fullTypeName(typeName: string): string {
  const match = TYPE_NAME.exec(typeName);
  if (match === null) {
    throw new TypeError(
      `'typeName' must look like 'pkg/msg/Type' or 'pkg/Type', got ${JSON.stringify(typeName)}`,
    );
  }
  return `${match[1]}/msg/${match[2]}`;
}

/** `pkg/msg/Type` -> `pkg/Type`, the form used in the `MSG:` lines of a schema. */
function shortTypeName(fullName: string): string {
  return fullName.replace('/msg/', '/');
}

/**
 * Message definitions by type name, and the ros2msg schema text that MCAP files carry for each.
 *
 * Use `MessageRegistry.withBuiltins()` for the types in `definitions.ts`; `register()` adds more
 * (the package's own face messages). Dependencies are resolved when a schema is asked for, so
 * types can be registered in any order.
 */
export class MessageRegistry {
  readonly #texts = new Map<string, string>();
  readonly #schemaCache = new Map<string, string>();

  /** A registry holding the built-in definitions of `definitions.ts`. */
  static withBuiltins(): MessageRegistry {
    const registry = new MessageRegistry();
    for (const [typeName, text] of Object.entries(builtinDefinitions)) {
      registry.register(typeName, text);
    }
    return registry;
  }

  /**
   * Adds a definition. Registering the same text again is a no-op.
   * @param typeName `pkg/msg/Type` (or `pkg/Type`).
   * @param msgText the .msg text; nested types may be relative to the package (`Point`) or
   *   qualified (`geometry_msgs/Point`).
   * @throws MessageError (MESSAGE_INVALID) when the text does not parse, or the type is already
   *   registered with a different text.
   */
  register(typeName: string, msgText: string): void {
    const name = fullTypeName(typeName);
    const existing = this.#texts.get(name);
    if (existing !== undefined) {
      if (existing === msgText) {
        return;
      }
      throw new MessageError(
        'MESSAGE_INVALID',
        `${name} is already registered with a different definition; register each type once`,
      );
    }
    try {
      // Checks the syntax now, so that a typo fails at registration rather than at first use.
      parse(msgText, { ros2: true, skipTypeFixup: true });
    } catch (error) {
      throw new MessageError(
        'MESSAGE_INVALID',
        `the definition of ${name} does not parse: ${errorText(error)}`,
        { cause: error },
      );
    }
    this.#texts.set(name, msgText);
    this.#schemaCache.clear();
  }

  /** Whether `typeName` (`pkg/msg/Type` or `pkg/Type`) is registered. */
  has(typeName: string): boolean {
    return TYPE_NAME.test(typeName) && this.#texts.has(fullTypeName(typeName));
  }

  /** Full names of all registered types, sorted. */
  typeNames(): string[] {
    return [...this.#texts.keys()].sort();
  }

  /**
   * The .msg text of one type, without its dependencies.
   * @throws MessageError (MESSAGE_UNKNOWN_TYPE) naming the type when it is not registered.
   */
  definitionText(typeName: string): string {
    const name = fullTypeName(typeName);
    const text = this.#texts.get(name);
    if (text === undefined) {
      throw unknownType(name);
    }
    return text;
  }

  /**
   * The ros2msg schema text of a type as rosbag2 writes it into MCAP files: the type's .msg text,
   * then each dependency (depth first, each once) as `\n` + 80 `=` + `\nMSG: pkg/Type\n` + text.
   * @throws MessageError (MESSAGE_UNKNOWN_TYPE) naming the type, or the missing dependency and
   *   the type that needs it.
   */
  schemaText(typeName: string): string {
    const name = fullTypeName(typeName);
    const cached = this.#schemaCache.get(name);
    if (cached !== undefined) {
      return cached;
    }
    const rootText = this.definitionText(name);
    const order: string[] = [];
    const seen = new Set<string>([name]);
    const visit = (owner: string, text: string): void => {
      for (const dependency of this.#dependencies(owner, text)) {
        if (seen.has(dependency)) {
          continue;
        }
        seen.add(dependency);
        const dependencyText = this.#texts.get(dependency);
        if (dependencyText === undefined) {
          throw new MessageError(
            'MESSAGE_UNKNOWN_TYPE',
            `${owner} uses ${dependency}, which is not registered; register it before asking ` +
              `for the schema of ${name}`,
          );
        }
        order.push(dependency);
        visit(dependency, dependencyText);
      }
    };
    visit(name, rootText);
    const parts = [rootText];
    for (const dependency of order) {
      parts.push(
        `\n${SCHEMA_SEPARATOR}\nMSG: ${shortTypeName(dependency)}\n${this.#texts.get(dependency) ?? ''}`,
      );
    }
    const schema = parts.join('');
    this.#schemaCache.set(name, schema);
    return schema;
  }

  /** Full names of the message types that the fields of `owner` use, in field order. */
  #dependencies(owner: string, text: string): string[] {
    const ownPackage = owner.slice(0, owner.indexOf('/'));
    const result: string[] = [];
    for (const rawLine of text.split('\n')) {
      const line = rawLine.trim();
      if (line === '' || line.startsWith('#')) {
        continue;
      }
      // The type is the first token; an array suffix or a string bound may follow it.
      const token = line.split(/\s+/, 1)[0] ?? '';
      const type = token.replace(/\[.*$/, '').replace(/<=.*$/, '');
      if (PRIMITIVE_TYPES.has(type)) {
        continue;
      }
      if (type.includes('/')) {
        result.push(fullTypeName(type));
      } else if (type === 'Header' && !this.#texts.has(`${ownPackage}/msg/Header`)) {
        // ROS 2 still resolves a bare `Header` to std_msgs, as ROS 1 did.
        result.push('std_msgs/msg/Header');
      } else {
        result.push(`${ownPackage}/msg/${type}`);
      }
    }
    return result;
  }
}

function unknownType(name: string): MessageError {
  return new MessageError(
    'MESSAGE_UNKNOWN_TYPE',
    `no definition of ${name} is registered; register its .msg text with MessageRegistry.register()`,
  );
}
