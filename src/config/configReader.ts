import { ConfigError } from '../errors.js';

/**
 * Path-aware access to one mapping of an untrusted document (YAML, JSON, ROS parameters): its
 * keys, nested mappings and errors. Every error names the key with its full path, the rule and
 * the value found. Values are checked against their declarations by readSettings.
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

  /** The error for `key` breaking `rule` (a declared one, or a rule across settings). */
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

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}
