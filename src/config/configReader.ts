import { ConfigError } from '../errors.js';

/**
 * Typed, path-aware access to one mapping of an untrusted document (YAML, JSON, ROS
 * parameters). Every error names the key with its full path, the rule and the value found.
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
        `${source}: '${where}' must be a mapping, got ${JSON.stringify(value)}`,
      );
    }
  }

  child(key: string): ConfigReader {
    return new ConfigReader(this.map[key], this.source, `${this.prefix}${key}.`);
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

  number(key: string, min: number, max: number): number | undefined {
    const value = this.map[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !(value >= min && value <= max)) {
      throw this.error(key, `must be a number in [${min}, ${max}]`, value);
    }
    return value;
  }

  integer(key: string, min: number, max: number): number | undefined {
    const value = this.map[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw this.error(key, `must be an integer in [${min}, ${max}]`, value);
    }
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

  private error(key: string, rule: string, value: unknown): ConfigError {
    return new ConfigError(
      'CONFIG_INVALID',
      `${this.source}: '${this.prefix}${key}' ${rule}, got ${JSON.stringify(value)}`,
    );
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
