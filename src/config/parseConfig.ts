import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ConfigError } from '../errors.js';
import { defaultModelsDir } from '../models/manifest.js';
import { parseClassifierConfig } from './classifierConfig.js';
import type { AppConfig, DetectorConfig } from './detectorConfig.js';

/** The configuration used when no file or parameter says otherwise. */
export function defaultConfig(): AppConfig {
  return {
    modelsDir: defaultModelsDir,
    detector: {
      modelForm: 'qdq',
      scoreThreshold: 0.5,
      iouThreshold: 0.6,
      nms: 'class_agnostic',
      maxDetections: 20,
      resize: 'stretch',
    },
    inference: { threads: os.availableParallelism() },
  };
}

/**
 * Reads a YAML config file. The file may be a ROS 2 parameters file
 * (`mobilenet_ros: ros__parameters: {...}`, also under a wildcard `/**:`) or the parameters
 * mapping itself, so one file serves `ros2 launch` and the CLI.
 */
export function loadConfigFile(file: string): AppConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('CONFIG_INVALID', `cannot read config file ${file}: ${(error as Error).message}`, { cause: error });
  }
  let document: unknown;
  try {
    document = YAML.parse(text);
  } catch (error) {
    throw new ConfigError('CONFIG_INVALID', `${file} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  return parseConfig(rosParameters(document), file, path.dirname(file));
}

/** Unwraps `<node name>: ros__parameters:` when present. */
function rosParameters(document: unknown): unknown {
  if (!isRecord(document)) return document;
  for (const value of Object.values(document)) {
    if (isRecord(value) && isRecord(value.ros__parameters)) return value.ros__parameters;
  }
  return document;
}

/**
 * Parses an unknown value (YAML or JSON) into a config, filling defaults. Errors name the
 * offending key with its path, the allowed range and the value found.
 */
export function parseConfig(input: unknown, source = 'config', baseDir = process.cwd()): AppConfig {
  const defaults = defaultConfig();
  if (input === undefined || input === null) return defaults;
  const root = new Reader(input, source, '');
  root.only(['models_dir', 'detector', 'inference', 'cameras', 'faces', 'classifier', 'outputs', 'node']);
  const det = root.child('detector');
  det.only(['model_form', 'score_threshold', 'iou_threshold', 'nms', 'max_detections', 'resize']);
  const inf = root.child('inference');
  inf.only(['threads', 'provider']);
  const modelsDir = root.string('models_dir');
  const detector: DetectorConfig = {
    modelForm: det.choice('model_form', ['qdq', 'float']) ?? defaults.detector.modelForm,
    scoreThreshold: det.number('score_threshold', 0, 1) ?? defaults.detector.scoreThreshold,
    iouThreshold: det.number('iou_threshold', 0, 1) ?? defaults.detector.iouThreshold,
    nms: det.choice('nms', ['class_agnostic', 'per_class']) ?? defaults.detector.nms,
    maxDetections: det.integer('max_detections', 1, 100) ?? defaults.detector.maxDetections,
    resize: det.choice('resize', ['stretch', 'letterbox']) ?? defaults.detector.resize,
  };
  return {
    modelsDir: modelsDir === undefined ? defaults.modelsDir : path.resolve(baseDir, modelsDir),
    detector,
    inference: { threads: inf.integer('threads', 1, 64) ?? defaults.inference.threads },
    classifier: parseClassifierConfig((input as Record<string, unknown>).classifier, source, baseDir),
  };
}

/** Typed, path-aware access to one mapping of an untrusted document. */
class Reader {
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
      throw new ConfigError('CONFIG_INVALID', `${source}: '${where}' must be a mapping, got ${JSON.stringify(value)}`);
    }
  }

  child(key: string): Reader {
    return new Reader(this.map[key], this.source, `${this.prefix}${key}.`);
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
    if (typeof value !== 'string' || value === '') throw this.error(key, 'must be a non-empty string', value);
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
    return new ConfigError('CONFIG_INVALID', `${this.source}: '${this.prefix}${key}' ${rule}, got ${JSON.stringify(value)}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
