import path from 'node:path';
import { ConfigReader } from './configReader.js';
import { readSettings } from './settings/readSettings.js';
import { fileOnly, setting } from './settings/setting.js';
import type { SettingValues } from './settings/settingValues.js';

/** ImageNet's per-channel mean and std on the 0..255 scale, RGB. */
const IMAGENET_MEAN = [123.675, 116.28, 103.53] as const;
const IMAGENET_STD = [58.395, 57.12, 57.375] as const;

/**
 * The `classifier:` settings: the optional crop classifier, any ImageNet-style classifier ONNX,
 * run on the crops of detections of selected classes. Config files only (`--config` of replay
 * and detect): the node does not declare them as ROS parameters.
 */
export const CLASSIFIER_SETTINGS = fileOnly({
  // Relative paths resolve against the config file's folder.
  model: setting({
    kind: 'string',
    format: 'path',
    required: true,
    description: 'the classifier .onnx file',
  }),
  labels: setting({
    kind: 'string',
    format: 'path',
    required: true,
    description: 'labels file: one name per line, or `<id> <name>` per line',
  }),
  input_width: setting({
    kind: 'integer',
    range: [16, 4096],
    default: 224,
    description: 'model input width in pixels',
  }),
  input_height: setting({
    kind: 'integer',
    range: [16, 4096],
    default: 224,
    description: 'model input height in pixels',
  }),
  mean: setting({
    kind: 'double_array',
    length: 3,
    positive: false,
    unit: '0..255 scale',
    default: IMAGENET_MEAN,
    description: 'per-channel mean, in channel_order',
  }),
  // Divisors: positive.
  std: setting({
    kind: 'double_array',
    length: 3,
    positive: true,
    unit: '0..255 scale',
    default: IMAGENET_STD,
    description: 'per-channel standard deviation, in channel_order',
  }),
  channel_order: setting({
    kind: 'choice',
    choices: ['rgb', 'bgr'],
    default: 'rgb',
    description: 'channel order of the model input',
  }),
  classes: setting({
    kind: 'string_array',
    unset: 'every detection',
    description: 'detector labels whose boxes are classified',
  }),
  top_k: setting({
    kind: 'integer',
    range: [1, 20],
    default: 3,
    description: 'results kept per crop',
  }),
  // For models that output logits.
  softmax: setting({
    kind: 'bool',
    default: true,
    description: 'apply softmax to the output',
  }),
});

/** The optional crop classifier, parsed once by {@link parseClassifierConfig}. */
export type ClassifierConfig = SettingValues<typeof CLASSIFIER_SETTINGS>;

/**
 * Parses the `classifier:` mapping (undefined when absent: no classifier). Relative paths are
 * resolved against `baseDir` (the config file's folder).
 * @throws ConfigError (CONFIG_INVALID) naming the key `classifier.<key>`, the rule and the value.
 */
export function parseClassifierConfig(
  value: unknown,
  source: string,
  baseDir: string,
): ClassifierConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const config = readSettings(new ConfigReader(value, source, 'classifier.'), CLASSIFIER_SETTINGS);
  return {
    ...config,
    model: path.resolve(baseDir, config.model),
    labels: path.resolve(baseDir, config.labels),
  };
}
