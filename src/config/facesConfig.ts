import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors.js';

/**
 * Settings of the face branch (the `faces:` mapping of the config). Parsed once by
 * {@link parseFacesConfig} into this readonly form; every field has a documented default.
 */
export interface FacesConfig {
  /** Run the face branch at all. Default true. */
  readonly enabled: boolean;
  /**
   * Where faces are looked for: 'frame' (the whole frame, resized to 320x240) or 'persons'
   * (inside each person detection, which finds smaller faces in large frames but nothing
   * outside persons). Default 'persons': the SSD already finds the people, and the face detector
   * also fires on animal faces (a cat at 0.98) when it searches whole frames.
   */
  readonly region: 'frame' | 'persons';
  /** Minimum detector score, in [0, 1]. Default 0.7 (ULFD's own; it also fires on animal faces). */
  readonly scoreThreshold: number;
  /** NMS overlap threshold, in [0, 1]. Default 0.3 (ULFD's own). */
  readonly iouThreshold: number;
  /** Most faces per frame, in [1, 64]. Default 16. */
  readonly maxFaces: number;
  /** Estimate age and gender. Default true. */
  readonly attributes: boolean;
  /** The identity gallery file. Default `$XDG_DATA_HOME/mobilenet-ros/faces.json` (~/.local/share/...). */
  readonly gallery: string;
  /**
   * Minimum cosine similarity for a gallery match, in [-1, 1]. Default 0.5, calibrated on
   * measured pairs (see DEFAULT_MATCH_THRESHOLD).
   */
  readonly matchThreshold: number;
  /** Publish the raw embeddings on /faces; false publishes identities only (privacy). Default true. */
  readonly publishEmbeddings: boolean;
  /**
   * Which prepared MobileFaceNet runs: 'int8' (static int8 quantization by mobilenet-ros, about
   * 2x faster on CPUs) or 'float' (the original weights). Default 'int8'. Each has its own
   * embeddings: a gallery records which one made it and is refused by the other.
   */
  readonly embeddingForm: EmbeddingForm;
}

/** The prepared forms of the embedding model. */
export const EMBEDDING_FORMS = ['int8', 'float'] as const;
export type EmbeddingForm = (typeof EMBEDDING_FORMS)[number];

/**
 * Default match threshold (cosine similarity of L2-normalised, aligned MobileFaceNet
 * embeddings). Measured on the test photos (astronaut, camera and the 22 faces of the face-api
 * samples; test/faces/faceVerification.test.ts), int8 model (float in brackets):
 * - the same face shifted, scaled to 60% or mirrored, 66 pairs (two hard faces aside, a profile
 *   and a hand over the mouth): median 0.975 (0.988), 5th percentile 0.921 (0.931), lowest
 *   0.877 (0.897);
 * - the one person found in two different photos (face-api sample1 and sample3): 0.597 (0.607);
 * - 275 pairs of different people: mean 0.057 (0.053), 99th percentile 0.322 (0.355), max 0.396
 *   (0.403); 8 (8) above 0.3.
 * 0.5 lies above every different-people pair and below the cross-photo pair, for both forms.
 * It is a small sample: raise it where a false match costs more than a missed one.
 */
export const DEFAULT_MATCH_THRESHOLD = 0.5;

/** The default gallery path: `$XDG_DATA_HOME/mobilenet-ros/faces.json`, else under ~/.local/share. */
export function defaultGalleryPath(): string {
  const dataHome = process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share');
  return path.join(dataHome, 'mobilenet-ros', 'faces.json');
}

/** The face settings used when the config says nothing. */
export function defaultFacesConfig(): FacesConfig {
  return {
    enabled: true,
    region: 'persons',
    scoreThreshold: 0.7,
    iouThreshold: 0.3,
    maxFaces: 16,
    attributes: true,
    gallery: defaultGalleryPath(),
    matchThreshold: DEFAULT_MATCH_THRESHOLD,
    publishEmbeddings: true,
    embeddingForm: 'int8',
  };
}

const KEYS = [
  'enabled',
  'region',
  'score_threshold',
  'iou_threshold',
  'max_faces',
  'attributes',
  'gallery',
  'match_threshold',
  'publish_embeddings',
  'embedding_form',
] as const;

/**
 * Parses the `faces:` mapping (unknown, from YAML or ROS parameters) into a FacesConfig,
 * filling defaults. `source` (e.g. the file name) and the key path `faces.<key>` appear in
 * every error; a relative `gallery` path is resolved against `baseDir`.
 *
 * @throws ConfigError (CONFIG_INVALID) naming the key, the allowed values and the value found.
 */
export function parseFacesConfig(
  input: unknown,
  source: string,
  baseDir = process.cwd(),
): FacesConfig {
  const defaults = defaultFacesConfig();
  if (input === undefined || input === null) return defaults;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `${source}: 'faces' must be a mapping, got ${JSON.stringify(input)}`,
    );
  }
  const map = input as Record<string, unknown>;
  for (const key of Object.keys(map)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(
        'CONFIG_INVALID',
        `${source}: unknown key 'faces.${key}'; allowed here: ${KEYS.join(', ')}`,
      );
    }
  }
  const error = (key: string, rule: string): ConfigError =>
    new ConfigError(
      'CONFIG_INVALID',
      `${source}: 'faces.${key}' ${rule}, got ${JSON.stringify(map[key])}`,
    );
  const bool = (key: (typeof KEYS)[number], fallback: boolean): boolean => {
    const v = map[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') throw error(key, 'must be true or false');
    return v;
  };
  const number = (
    key: (typeof KEYS)[number],
    min: number,
    max: number,
    fallback: number,
    integer = false,
  ): number => {
    const v = map[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !(v >= min && v <= max) || (integer && !Number.isInteger(v))) {
      throw error(key, `must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`);
    }
    return v;
  };
  const region = map.region;
  if (region !== undefined && region !== 'frame' && region !== 'persons') {
    throw error('region', "must be one of 'frame', 'persons'");
  }
  const embeddingForm = map.embedding_form;
  if (
    embeddingForm !== undefined &&
    !(EMBEDDING_FORMS as readonly unknown[]).includes(embeddingForm)
  ) {
    throw error(
      'embedding_form',
      `must be one of ${EMBEDDING_FORMS.map((f) => `'${f}'`).join(', ')}`,
    );
  }
  const gallery = map.gallery;
  if (gallery !== undefined && (typeof gallery !== 'string' || gallery === '')) {
    throw error('gallery', 'must be a non-empty string (a file path)');
  }
  return {
    enabled: bool('enabled', defaults.enabled),
    region: region ?? defaults.region,
    scoreThreshold: number('score_threshold', 0, 1, defaults.scoreThreshold),
    iouThreshold: number('iou_threshold', 0, 1, defaults.iouThreshold),
    maxFaces: number('max_faces', 1, 64, defaults.maxFaces, true),
    attributes: bool('attributes', defaults.attributes),
    gallery: gallery === undefined ? defaults.gallery : path.resolve(baseDir, gallery),
    matchThreshold: number('match_threshold', -1, 1, defaults.matchThreshold),
    publishEmbeddings: bool('publish_embeddings', defaults.publishEmbeddings),
    embeddingForm: (embeddingForm as EmbeddingForm | undefined) ?? defaults.embeddingForm,
  };
}
