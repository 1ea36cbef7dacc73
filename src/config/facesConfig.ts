import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from './configReader.js';
import { defaultSettings, readSettings } from './settings/readSettings.js';
import { computed, setting } from './settings/setting.js';
import type { SettingValues } from './settings/settingValues.js';

/** Where faces are looked for. */
export const FACE_REGIONS = ['frame', 'persons'] as const;

/**
 * The models each stage of the face branch can run. The defaults are all MIT-licensed (face-api's
 * weights, built into ONNX by `models prepare`, and ULFD); 'faceplugin' landmarks, 'mobilefacenet'
 * and 'ssrnet' come with no stated licence and run only when a config names them
 * (models/NOTICE.md).
 */
export const FACE_DETECTORS = ['ulfd', 'ssd_mobilenetv1'] as const;
export type FaceDetectorChoice = (typeof FACE_DETECTORS)[number];
export const FACE_LANDMARK_MODELS = ['faceapi', 'faceplugin'] as const;
export type FaceLandmarkChoice = (typeof FACE_LANDMARK_MODELS)[number];
export const FACE_EMBEDDING_MODELS = ['faceapi', 'mobilefacenet'] as const;
export type FaceEmbeddingChoice = (typeof FACE_EMBEDDING_MODELS)[number];
export const FACE_AGE_GENDER_MODELS = ['faceapi', 'ssrnet'] as const;
export type FaceAgeGenderChoice = (typeof FACE_AGE_GENDER_MODELS)[number];

/** The prepared forms of the embedding model. */
export const EMBEDDING_FORMS = ['int8', 'float'] as const;
export type EmbeddingForm = (typeof EMBEDDING_FORMS)[number];

/**
 * Match thresholds (cosine similarity of L2-normalised, aligned embeddings), measured on the test
 * photos (astronaut, camera and the 22 faces of the face-api samples, 24 faces;
 * test/faces/faceVerification.test.ts).
 *
 * face-api's 128-d model (the default): the same face shifted, scaled to 60% or mirrored, 66
 * pairs: median 0.999, 5th percentile 0.965, lowest 0.956; the one person found in two photos
 * (sample1 and sample3): 0.979; 275 pairs of different people: mean 0.925, 99th percentile
 * 0.961, max 0.966. 0.97 lies above every different-people pair and below the cross-photo pair;
 * a few transformed copies of a face fall below it (it is a model with little margin on these
 * faces, all young women of similar looks).
 *
 * MobileFaceNet (int8; float in brackets): same face median 0.975 (0.988), 5th percentile 0.921
 * (0.931); the cross-photo pair 0.597 (0.607); different people mean 0.057 (0.053), max 0.396
 * (0.403). 0.5 separates them.
 *
 * Small samples: raise a threshold where a false match costs more than a missed one.
 */
export const MATCH_THRESHOLDS = { faceapi: 0.97, mobilefacenet: 0.5 } as const;
export const DEFAULT_MATCH_THRESHOLD = MATCH_THRESHOLDS.faceapi;

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
  // Off by default: with it the branch costs about 2 ms more per face (face-api's expression net),
  // 5-8% of the replay frame rate on a crowd with 4 faces a frame; without it the MIT default set
  // costs what the previous one did (measured with bench --faces; README, Speed).
  expression: setting({
    kind: 'bool',
    default: false,
    description: 'estimate the facial expression (face-api model, about 2 ms a face)',
  }),
  detector: setting({
    kind: 'choice',
    choices: FACE_DETECTORS,
    default: 'ulfd',
    description: "face detector: 'ulfd' (RFB-320, MIT) or 'ssd_mobilenetv1' (face-api, MIT)",
  }),
  landmarks: setting({
    kind: 'choice',
    choices: FACE_LANDMARK_MODELS,
    default: 'faceapi',
    description: "68-point landmarks: 'faceapi' (MIT) or 'faceplugin' (licence unknown)",
  }),
  embedding: setting({
    kind: 'choice',
    choices: FACE_EMBEDDING_MODELS,
    default: 'faceapi',
    description:
      "recognition embedding: 'faceapi' (128-d, MIT) or 'mobilefacenet' (512-d, licence unknown)",
  }),
  age_gender: setting({
    kind: 'choice',
    choices: FACE_AGE_GENDER_MODELS,
    default: 'faceapi',
    description: "age and gender: 'faceapi' (MIT) or 'ssrnet' (licence unknown)",
  }),
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
    description:
      'minimum cosine similarity of a gallery match (0.97 suits faceapi embeddings, 0.5 mobilefacenet)',
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
