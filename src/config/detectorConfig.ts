import type { ClassifierConfig } from './classifierConfig.js';
import type { FacesConfig } from './facesConfig.js';
import type { ImageConfig } from './imageConfig.js';
import type { ProvidersConfig } from './providerConfig.js';
import type { TrackingConfig } from './trackingConfig.js';

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

/**
 * Settings of the object detector stage. Parsed once (see parseConfig) into this readonly
 * form; every field has a documented default.
 */
export interface DetectorConfig {
  /**
   * Model weights form (see DETECTOR_FILE_FORMS). 'auto' picks, among the integer forms whose
   * outputs equal 'qdq' on this CPU, the fastest, timed once and cached. Default 'auto'.
   */
  readonly modelForm: DetectorModelForm;
  /** Minimum score of a published detection, in [0, 1]. Default 0.5. */
  readonly scoreThreshold: number;
  /** NMS IoU threshold in [0, 1]. Default 0.6 (the model's). */
  readonly iouThreshold: number;
  /** 'class_agnostic' (the model's fast NMS) or 'per_class'. Default 'class_agnostic'. */
  readonly nms: 'class_agnostic' | 'per_class';
  /** Maximum detections per frame, in [1, 100]. Default 20 (the model's). */
  readonly maxDetections: number;
  /** How a frame becomes the 300x300 input: 'stretch' (as trained) or 'letterbox'. Default 'stretch'. */
  readonly resize: 'stretch' | 'letterbox';
}

export interface InferenceConfig {
  /** Threads per model (intra-op). Default: number of CPU cores. */
  readonly threads: number;
  /**
   * Whether ONNX Runtime's idle pool threads busy-wait for the next piece of work. Default false:
   * in the node and in replay, decoding and publishing share the cores with inference, and a
   * spinning thread takes their time (measured on 2 cores: the full replay path about 5% faster
   * without spinning, the bare model loop about 5% slower). True suits a board where inference has
   * the cores to itself.
   */
  readonly spinWait: boolean;
  /** Execution provider chains per model. Default: every model on the CPU with `threads`. */
  readonly providers: ProvidersConfig;
}

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
