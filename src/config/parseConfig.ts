import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ConfigError } from '../errors.js';
import { defaultModelsDir } from '../models/manifest.js';
import { parseClassifierConfig } from './classifierConfig.js';
import { defaultFacesConfig, parseFacesConfig } from './facesConfig.js';
import {
  defaultProvidersConfig,
  parseProvidersConfig,
  PROVIDER_CONFIG_KEYS,
} from './providerConfig.js';
import { ConfigReader, isRecord } from './configReader.js';
import { defaultImageConfig, parseImageConfig } from './imageConfig.js';
import { defaultTrackingConfig, parseTrackingConfig } from './trackingConfig.js';
import { DETECTOR_MODEL_FORMS, type AppConfig, type DetectorConfig } from './detectorConfig.js';

/** The configuration used when no file or parameter says otherwise. */
export function defaultConfig(): AppConfig {
  return {
    modelsDir: defaultModelsDir,
    detector: {
      modelForm: 'auto',
      scoreThreshold: 0.5,
      iouThreshold: 0.6,
      nms: 'class_agnostic',
      maxDetections: 20,
      resize: 'stretch',
    },
    inference: {
      threads: os.availableParallelism(),
      spinWait: false,
      providers: defaultProvidersConfig(os.availableParallelism()),
    },
    faces: defaultFacesConfig(),
    image: defaultImageConfig(),
    tracking: defaultTrackingConfig(),
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
 * offending key with its path, the allowed range and the value found.
 */
export function parseConfig(input: unknown, source = 'config', baseDir = process.cwd()): AppConfig {
  const defaults = defaultConfig();
  if (input === undefined || input === null) return defaults;
  const root = new ConfigReader(input, source, '');
  root.only([
    'models_dir',
    'detector',
    'inference',
    'cameras',
    'faces',
    'classifier',
    'outputs',
    'node',
    'image',
    'tracking',
  ]);
  const det = root.child('detector');
  det.only(['model_form', 'score_threshold', 'iou_threshold', 'nms', 'max_detections', 'resize']);
  const inf = root.child('inference');
  inf.only(['threads', 'spin_wait', ...PROVIDER_CONFIG_KEYS]);
  const modelsDir = root.string('models_dir');
  const threads = inf.integer('threads', 1, 64) ?? defaults.inference.threads;
  const detector: DetectorConfig = {
    modelForm: det.choice('model_form', DETECTOR_MODEL_FORMS) ?? defaults.detector.modelForm,
    scoreThreshold: det.number('score_threshold', 0, 1) ?? defaults.detector.scoreThreshold,
    iouThreshold: det.number('iou_threshold', 0, 1) ?? defaults.detector.iouThreshold,
    nms: det.choice('nms', ['class_agnostic', 'per_class']) ?? defaults.detector.nms,
    maxDetections: det.integer('max_detections', 1, 100) ?? defaults.detector.maxDetections,
    resize: det.choice('resize', ['stretch', 'letterbox']) ?? defaults.detector.resize,
  };
  return {
    modelsDir: modelsDir === undefined ? defaults.modelsDir : path.resolve(baseDir, modelsDir),
    detector,
    inference: {
      threads,
      spinWait: inf.boolean('spin_wait') ?? defaults.inference.spinWait,
      providers: parseProvidersConfig((input as Record<string, unknown>).inference, {
        source,
        baseDir,
        threads,
      }),
    },
    faces: parseFacesConfig((input as Record<string, unknown>).faces, source, baseDir),
    image: parseImageConfig(root.child('image')),
    tracking: parseTrackingConfig(root.child('tracking')),
    classifier: parseClassifierConfig(
      (input as Record<string, unknown>).classifier,
      source,
      baseDir,
    ),
  };
}
