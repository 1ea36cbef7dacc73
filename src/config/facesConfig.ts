import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from './configReader.js';
import { defaultSettings, readSettings } from './settings/readSettings.js';
import { computed, setting } from './settings/setting.js';
import type { SettingValues } from './settings/settingValues.js';

/** Where faces are looked for. */
export const FACE_REGIONS = ['frame', 'persons'] as const;

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

/** The `faces:` settings: the face branch (detection, alignment, embeddings, attributes, gallery). */
export const FACES_SETTINGS = {
  enabled: setting({
    kind: 'bool',
    default: true,
    description: 'run the face branch (detection, alignment, embeddings, attributes, gallery)',
  }),
  // 'persons' (inside each person detection) finds smaller faces in large frames but nothing
  // outside persons. The default: the SSD already finds the people, and the face detector also
  // fires on animal faces (a cat at 0.98) when it searches whole frames (resized to 320x240).
  region: setting({
    kind: 'choice',
    choices: FACE_REGIONS,
    default: 'persons',
    description: "look for faces in the whole 'frame' or only inside 'persons' detections",
  }),
  // 0.7 and 0.3: ULFD's own (it also fires on animal faces).
  score_threshold: setting({
    kind: 'double',
    range: [0, 1],
    default: 0.7,
    description: 'minimum face detector score',
  }),
  iou_threshold: setting({
    kind: 'double',
    range: [0, 1],
    default: 0.3,
    description: 'face NMS overlap threshold',
  }),
  max_faces: setting({
    kind: 'integer',
    range: [1, 64],
    default: 16,
    description: 'faces per frame',
  }),
  attributes: setting({ kind: 'bool', default: true, description: 'estimate age and gender' }),
  // A relative path resolves against the config file's folder.
  gallery: setting({
    kind: 'string',
    format: 'path',
    default: computed('~/.local/share/mobilenet-ros/faces.json', () => defaultGalleryPath()),
    description: 'identity gallery file (mobilenet-ros faces enroll)',
  }),
  match_threshold: setting({
    kind: 'double',
    range: [-1, 1],
    default: DEFAULT_MATCH_THRESHOLD,
    description: 'minimum cosine similarity of a gallery match',
  }),
  // False publishes identities only (privacy).
  publish_embeddings: setting({
    kind: 'bool',
    default: true,
    description: 'put embeddings in /faces (false: identities only)',
  }),
  // 'int8': static int8 quantization by mobilenet-ros, about 2x faster on CPUs; 'float': the
  // original weights. Each has its own embeddings: a gallery records which one made it and is
  // refused by the other.
  embedding_form: setting({
    kind: 'choice',
    choices: EMBEDDING_FORMS,
    default: 'int8',
    description: "MobileFaceNet 'int8' (quantized, faster) or 'float'; galleries record which",
  }),
} as const;

/** Settings of the face branch, parsed once by {@link parseFacesConfig}. */
export type FacesConfig = SettingValues<typeof FACES_SETTINGS>;

/** The face settings used when the config says nothing. */
export function defaultFacesConfig(): FacesConfig {
  return defaultSettings(FACES_SETTINGS);
}

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
  const config = readSettings(new ConfigReader(input, source, 'faces.'), FACES_SETTINGS);
  return { ...config, gallery: path.resolve(baseDir, config.gallery) };
}
