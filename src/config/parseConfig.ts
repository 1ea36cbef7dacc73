import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ConfigError } from '../errors.js';
import { parseClassifierConfig } from './classifierConfig.js';
import { ConfigReader, isRecord } from './configReader.js';
import { DETECTOR_SETTINGS, type AppConfig } from './detectorConfig.js';
import { parseFacesConfig } from './facesConfig.js';
import { parseImageConfig } from './imageConfig.js';
import { INFERENCE_RUNTIME_SETTINGS } from './inferenceConfig.js';
import { parseProvidersConfig } from './providerConfig.js';
import { ALL_SETTINGS } from './settings/allSettings.js';
import { readSettings } from './settings/readSettings.js';
import { parseTrackingConfig } from './trackingConfig.js';

/** The configuration used when no file or parameter says otherwise. */
export function defaultConfig(): AppConfig {
  return parseConfig(undefined, 'defaults');
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
    throw new ConfigError(
      'CONFIG_INVALID',
      `cannot read config file ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  let document: unknown;
  try {
    document = YAML.parse(text);
  } catch (error) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `${file} is not valid YAML: ${(error as Error).message}`,
      { cause: error },
    );
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
 * offending key with its path, the allowed range and the value found. The ROS part (`cameras`,
 * `outputs`, `node`) is parseRosConfig's.
 */
export function parseConfig(input: unknown, source = 'config', baseDir = process.cwd()): AppConfig {
  const root = new ConfigReader(input, source, '');
  root.only(Object.keys(ALL_SETTINGS));
  const inf = root.child('inference');
  inf.only(Object.keys(ALL_SETTINGS.inference));
  // These two mappings hold other sections' keys too, each read by its own parser below.
  const mixed = { refuseUnknownKeys: false };
  const { modelsDir } = readSettings(root, { models_dir: ALL_SETTINGS.models_dir }, mixed);
  const { threads, spinWait } = readSettings(inf, INFERENCE_RUNTIME_SETTINGS, mixed);
  return {
    modelsDir: path.resolve(baseDir, modelsDir),
    detector: readSettings(root.child('detector'), DETECTOR_SETTINGS),
    inference: {
      threads,
      spinWait,
      providers: parseProvidersConfig(root.raw('inference'), { source, baseDir, threads }),
    },
    faces: parseFacesConfig(root.raw('faces'), source, baseDir),
    image: parseImageConfig(root.child('image')),
    tracking: parseTrackingConfig(root.child('tracking')),
    classifier: parseClassifierConfig(root.raw('classifier'), source, baseDir),
  };
}
