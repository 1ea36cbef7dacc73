import { ConfigError } from '../errors.js';

// A ROS topic name: relative or absolute, tokens of [A-Za-z0-9_], optional leading '~/'.
const TOPIC = /^(~\/|\/)?[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Typed, path-aware access to one mapping of an untrusted document (YAML, JSON, ROS
 * parameters). Every error names the key with its full path, the rule and the value found.
 * Integers may arrive as bigint (rclnodejs returns integer parameters so).
 */
export class ConfigReader {
  private readonly map: Record<string, unknown>;

  constructor(
    value: unknown,
    private readonly source: string,
    private readonly prefix: string,
  ) {
    if (value === undefined || value === null) {
      this.map = {};
    } else if (isRecord(value)) {
      this.map = value;
    } else {
      const where = prefix === '' ? '(root)' : prefix.slice(0, -1);
      throw new ConfigError(
        'CONFIG_INVALID',
        `${source}: '${where}' must be a mapping, got ${describe(value)}`,
      );
    }
  }

  child(key: string): ConfigReader {
    return new ConfigReader(this.map[key], this.source, `${this.prefix}${key}.`);
  }

  /** The raw value of a key (for sections parsed elsewhere). */
  raw(key: string): unknown {
    return this.map[key];
  }

  /** Keys present in this mapping. */
  keys(): string[] {
    return Object.keys(this.map);
  }

  /** Refuses unknown keys, so a misspelt parameter is an error, not silently ignored. */
  only(keys: readonly string[]): void {
    for (const key of Object.keys(this.map)) {
      if (!keys.includes(key)) {
        throw new ConfigError(
          'CONFIG_INVALID',
          `${this.source}: unknown key '${this.prefix}${key}'; allowed here: ${keys.join(', ')}`,
        );
      }
    }
  }

  string(key: string): string | undefined {
    const value = this.map[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '')
      throw this.error(key, 'must be a non-empty string', value);
    return value;
  }

  stringList(key: string): string[] | undefined {
    const value = this.map[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      throw this.error(key, 'must be a list of strings', value);
    }
    return value;
  }

  /** A ROS topic name; `{camera}` placeholders are allowed when `template`. */
  topic(key: string, template = false): string | undefined {
    const value = this.map[key];
    if (value === undefined) return undefined;
    const checked =
      typeof value === 'string' && template ? value.replaceAll('{camera}', 'x') : value;
    if (typeof checked !== 'string' || !TOPIC.test(checked)) {
      throw this.error(
        key,
        'must be a ROS topic name (tokens of letters, digits and _, separated by /)',
        value,
      );
    }
    return value as string;
  }

  number(key: string, min: number, max: number): number | undefined {
    const value = toNumber(this.map[key]);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !(value >= min && value <= max)) {
      throw this.error(key, `must be a number in [${min}, ${max}]`, value);
    }
    return value;
  }

  integer(key: string, min: number, max: number): number | undefined {
    const value = toNumber(this.map[key]);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw this.error(key, `must be an integer in [${min}, ${max}]`, value);
    }
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.map[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw this.error(key, 'must be true or false', value);
    return value;
  }

  choice<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const value = this.map[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      throw this.error(key, `must be one of ${choices.map((c) => `'${c}'`).join(', ')}`, value);
    }
    return value as T;
  }

  /** The error for `key` breaking `rule`, for checks the typed getters do not cover. */
  error(key: string, rule: string, value: unknown): ConfigError {
    return new ConfigError(
      'CONFIG_INVALID',
      `${this.source}: '${this.prefix}${key}' ${rule}, got ${describe(value)}`,
    );
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ROS integer parameters arrive as bigint. */
function toNumber(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}
