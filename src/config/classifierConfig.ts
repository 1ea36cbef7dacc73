import path from 'node:path';
import { ConfigError } from '../errors.js';

/**
 * The optional crop classifier: any ImageNet-style classifier ONNX, run on the crops of
 * detections of selected classes.
 */
export interface ClassifierConfig {
  /** Path of the .onnx file. */
  readonly model: string;
  /** Labels file: one name per line, or `<id> <name>` per line. */
  readonly labels: string;
  /** Model input size in pixels. Default 224 x 224. */
  readonly inputWidth: number;
  readonly inputHeight: number;
  /** Per-channel mean and std on the 0..255 scale, in `channelOrder`. Default ImageNet's. */
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
  /** Default 'rgb'. */
  readonly channelOrder: 'rgb' | 'bgr';
  /** Detector labels whose boxes are classified. Default: every detection. */
  readonly classes: readonly string[] | undefined;
  /** Results kept per crop, in [1, 20]. Default 3. */
  readonly topK: number;
  /** Apply softmax to the output (for models that output logits). Default true. */
  readonly softmax: boolean;
}

const IMAGENET_MEAN: readonly [number, number, number] = [123.675, 116.28, 103.53];
const IMAGENET_STD: readonly [number, number, number] = [58.395, 57.12, 57.375];

/**
 * Parses the `classifier:` mapping (undefined when absent: no classifier). Relative paths are
 * resolved against `baseDir` (the config file's folder).
 */
export function parseClassifierConfig(
  value: unknown,
  source: string,
  baseDir: string,
): ClassifierConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalid(source, 'classifier', 'must be a mapping', value);
  const map = value as Record<string, unknown>;
  const allowed = [
    'model',
    'labels',
    'input_width',
    'input_height',
    'mean',
    'std',
    'channel_order',
    'classes',
    'top_k',
    'softmax',
  ];
  for (const key of Object.keys(map)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(
        'CONFIG_INVALID',
        `${source}: unknown key 'classifier.${key}'; allowed here: ${allowed.join(', ')}`,
      );
    }
  }
  const text = (key: string): string => {
    const v = map[key];
    if (typeof v !== 'string' || v === '')
      throw invalid(source, `classifier.${key}`, 'must be a non-empty string (a file path)', v);
    return path.resolve(baseDir, v);
  };
  const integer = (key: string, fallback: number, min: number, max: number): number => {
    const v = map[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw invalid(source, `classifier.${key}`, `must be an integer in [${min}, ${max}]`, v);
    }
    return v;
  };
  const triple = (
    key: string,
    fallback: readonly [number, number, number],
    positive: boolean,
  ): readonly [number, number, number] => {
    const v = map[key] ?? fallback;
    if (
      !Array.isArray(v) ||
      v.length !== 3 ||
      !v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!positive || x > 0))
    ) {
      throw invalid(
        source,
        `classifier.${key}`,
        `must be 3 ${positive ? 'positive ' : ''}numbers (0..255 scale)`,
        v,
      );
    }
    return [v[0] as number, v[1] as number, v[2] as number];
  };
  const order = map.channel_order ?? 'rgb';
  if (order !== 'rgb' && order !== 'bgr')
    throw invalid(source, 'classifier.channel_order', "must be 'rgb' or 'bgr'", order);
  const classes = map.classes;
  if (
    classes !== undefined &&
    !(Array.isArray(classes) && classes.every((c) => typeof c === 'string'))
  ) {
    throw invalid(source, 'classifier.classes', 'must be a list of detector label names', classes);
  }
  const soft = map.softmax ?? true;
  if (typeof soft !== 'boolean')
    throw invalid(source, 'classifier.softmax', 'must be true or false', soft);
  return {
    model: text('model'),
    labels: text('labels'),
    inputWidth: integer('input_width', 224, 16, 4096),
    inputHeight: integer('input_height', 224, 16, 4096),
    mean: triple('mean', IMAGENET_MEAN, false),
    std: triple('std', IMAGENET_STD, true),
    channelOrder: order,
    classes: classes,
    topK: integer('top_k', 3, 1, 20),
    softmax: soft,
  };
}

function invalid(source: string, key: string, rule: string, value: unknown): ConfigError {
  return new ConfigError(
    'CONFIG_INVALID',
    `${source}: '${key}' ${rule}, got ${JSON.stringify(value)}`,
  );
}
