import type { ClassifierConfig } from './classifierConfig.js';
import type { FacesConfig } from './facesConfig.js';
import type { ImageConfig } from './imageConfig.js';
import type { InferenceConfig } from './inferenceConfig.js';
import type { TrackingConfig } from './trackingConfig.js';
import { setting } from './settings/setting.js';
import type { SettingValues } from './settings/settingValues.js';

/**
 * The detector's prepared model files (manifest output roles of coco_detector):
 * - 'qdq': TFLite's uint8 weights behind DequantizeLinear; reproduces the TFLite runtime.
 * - 'qdq_s8': the same weights shifted to int8 (w - 128, zero point - 128), the same numbers
 *   dequantized; faster on x86, and identical to 'qdq' only where the CPU multiplies without
 *   saturating (VNNI). See src/detection/modelFormChoice.ts.
 * - 'float': dequantized float weights (for GPUs; scores within about 0.02 of 'qdq').
 */
export const DETECTOR_FILE_FORMS = ['qdq', 'qdq_s8', 'float'] as const;
export type DetectorFileForm = (typeof DETECTOR_FILE_FORMS)[number];

/**
 * The forms `auto` chooses among, the reference first: the integer forms. 'float' is not one:
 * its scores differ from the TFLite model's, so it stays an explicit choice (GPUs).
 */
export const AUTO_MODEL_FORMS: readonly DetectorFileForm[] = ['qdq', 'qdq_s8'];

/** `detector.model_form`: a file form, or 'auto' (timed once per board and cached). */
export const DETECTOR_MODEL_FORMS = ['auto', ...DETECTOR_FILE_FORMS] as const;
export type DetectorModelForm = (typeof DETECTOR_MODEL_FORMS)[number];

/** How a frame becomes the detector's 300x300 input. */
export const DETECTOR_RESIZE_MODES = ['stretch', 'letterbox'] as const;

/** The `detector:` settings. */
export const DETECTOR_SETTINGS = {
  // 'auto' picks, among the integer forms whose outputs equal 'qdq' on this CPU, the fastest,
  // timed once and cached (src/detection/modelFormChoice.ts).
  model_form: setting({
    kind: 'choice',
    choices: DETECTOR_MODEL_FORMS,
    default: 'auto',
    description:
      "'auto' (the fastest integer form whose outputs equal qdq on this CPU, timed once and cached); " +
      "'qdq' reproduces the quantized model; 'qdq_s8' the same with int8 weights; 'float' dequantized weights",
  }),
  score_threshold: setting({
    kind: 'double',
    range: [0, 1],
    default: 0.5,
    dynamic: true,
    description: 'minimum score of a published detection',
  }),
  // 0.6: the model's own (its TFLite post-processing options).
  iou_threshold: setting({
    kind: 'double',
    range: [0, 1],
    default: 0.6,
    dynamic: true,
    description: 'NMS overlap threshold',
  }),
  // 'class_agnostic' is the model's own fast NMS.
  nms: setting({
    kind: 'choice',
    choices: ['class_agnostic', 'per_class'],
    default: 'class_agnostic',
    dynamic: true,
    description: "NMS over each box's best class, or per class",
  }),
  // 20: the model's own.
  max_detections: setting({
    kind: 'integer',
    range: [1, 100],
    default: 20,
    dynamic: true,
    description: 'detections per frame',
  }),
  // 'stretch' is how the model was trained.
  resize: setting({
    kind: 'choice',
    choices: DETECTOR_RESIZE_MODES,
    default: 'stretch',
    dynamic: true,
    description: 'how a frame becomes the model input',
  }),
} as const;

/** Settings of the object detector stage, parsed once (see parseConfig). */
export type DetectorConfig = SettingValues<typeof DETECTOR_SETTINGS>;

export interface AppConfig {
  /** Folder with manifest.json and prepared models. Default: the package's models/. */
  readonly modelsDir: string;
  readonly detector: DetectorConfig;
  readonly inference: InferenceConfig;
  /** The face branch (detection, alignment, embeddings, attributes, gallery). */
  readonly faces: FacesConfig;
  /** Pixel budget of a frame and reduced-scale JPEG decoding. */
  readonly image: ImageConfig;
  /** Multi-object tracking per camera: ids on published detections. */
  readonly tracking: TrackingConfig;
  /** The optional crop classifier; undefined when not configured. */
  readonly classifier?: ClassifierConfig;
}
