import path from 'node:path';
import type { DetectorFileForm } from '../config/detectorConfig.js';
import type { ModelRunner } from '../inference/modelRunner.js';
import { ModelSession, type ModelSessionOptions } from '../inference/modelSession.js';
import { WorkerModelSession } from '../inference/workerModelSession.js';
import type { ProviderReport } from '../inference/providerReport.js';
import { float32Data, int32Data } from '../inference/tensorData.js';
import { LabelMap } from '../models/labelMap.js';
import { loadManifest, modelEntry, preparedFile } from '../models/manifest.js';
import { parseSsdSpec } from '../models/ssdModelSpec.js';
import { readVerified } from '../models/verifiedFile.js';
import {
  SsdDecoder,
  type SsdDecoderOptions,
  type SsdDetection,
} from '../postprocess/ssdDecoder.js';

/**
 * Raw SSD outputs: 'best' holds each anchor's best class (enough for class-agnostic NMS),
 * 'all' the whole score matrix [anchors x (background + classes)] (per-class NMS).
 */
export type SsdRawOutputs =
  | {
      readonly kind: 'best';
      readonly boxEncodings: Float32Array;
      readonly bestScores: Float32Array;
      readonly bestClasses: Int32Array;
    }
  | { readonly kind: 'all'; readonly boxEncodings: Float32Array; readonly scores: Float32Array };

/** Options of {@link SsdDetector.detect} and infer. */
export interface DetectOptions {
  /**
   * The caller gives up `rgb`: with the model on a worker it is moved there, not copied, and is
   * empty afterwards. Default false.
   */
  readonly transfer?: boolean;
}

/** Options for {@link SsdDetector.create}. */
export interface SsdDetectorOptions {
  /** Folder with manifest.json and prepared models. */
  modelsDir: string;
  /** Manifest name of the model. Default 'coco_detector'. */
  model?: string;
  /**
   * 'qdq' (default: reproduces the TFLite runtime), 'qdq_s8' (int8 weights, see
   * DETECTOR_FILE_FORMS) or 'float' (dequantized weights). 'auto' is resolved before this (see
   * chooseModelForm).
   */
  form?: DetectorFileForm;
  /** Post-processing; unset fields take the model's values and a 0.5 score threshold. */
  decoder?: Partial<SsdDecoderOptions>;
  session?: ModelSessionOptions;
  /**
   * Where the model runs: 'worker' (default), a thread of its own, so that this thread stays free
   * for decoding, publishing and ROS callbacks while the model runs (onnxruntime-node's run
   * blocks its thread); 'main', this thread.
   */
  thread?: 'worker' | 'main';
}

/**
 * The SSD object detector: an ONNX session on a uint8 RGB input of the model's size (on a worker
 * thread by default), and the TypeScript post-processing. Owns the session; close() it.
 */
export class SsdDetector {
  /** Inference calls run one at a time, in call order (see infer). */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly session: ModelRunner,
    private decoder: SsdDecoder,
    readonly labels: LabelMap,
    /** Model input [1, H, W, 3]. */
    readonly inputShape: readonly [number, number, number, number],
    /** The prepared form this detector runs. */
    readonly form: DetectorFileForm,
  ) {}

  static async create(options: SsdDetectorOptions): Promise<SsdDetector> {
    const name = options.model ?? 'coco_detector';
    const form = options.form ?? 'qdq';
    const entry = modelEntry(loadManifest(options.modelsDir), name);
    const specFile = preparedFile(entry, 'ssd', name);
    const spec = parseSsdSpec(await readVerified(options.modelsDir, specFile), specFile.file);
    const labels = LabelMap.parse(
      (await readVerified(options.modelsDir, preparedFile(entry, 'labels', name))).toString('utf8'),
      preparedFile(entry, 'labels', name).file,
    );
    const pp = spec.postprocess;
    const decoder = new SsdDecoder(
      Float32Array.from(spec.anchors),
      { yScale: pp.yScale, xScale: pp.xScale, hScale: pp.hScale, wScale: pp.wScale },
      {
        nms: pp.useRegularNms ? 'per-class' : 'class-agnostic',
        iouThreshold: pp.nmsIouThreshold,
        scoreThreshold: 0.5,
        maxDetections: pp.maxDetections,
        // TFLite's own default when the model leaves it unset (this one stores 0).
        detectionsPerClass: pp.detectionsPerClass > 0 ? pp.detectionsPerClass : 100,
        ...options.decoder,
      },
    );
    const modelFile = preparedFile(entry, form, name);
    // Verify the checksum, then hand the same bytes to onnxruntime.
    await readVerified(options.modelsDir, modelFile);
    const file = path.join(options.modelsDir, modelFile.file);
    const sessionOptions = { label: `${name} (${form})`, ...options.session };
    const session: ModelRunner =
      (options.thread ?? 'worker') === 'worker'
        ? await WorkerModelSession.create(file, sessionOptions)
        : await ModelSession.create(file, sessionOptions);
    return new SsdDetector(session, decoder, labels, spec.inputShape, form);
  }

  /** Which execution provider the model runs on, and why preferred ones were not used. */
  get providerReport(): ProviderReport {
    return this.session.providerReport;
  }

  get width(): number {
    return this.inputShape[2];
  }

  get height(): number {
    return this.inputShape[1];
  }

  get decoderOptions(): SsdDecoderOptions {
    return this.decoder.options;
  }

  /** Changes post-processing options at run time (validated; the old ones stay on error). */
  configure(options: Partial<SsdDecoderOptions>): void {
    this.decoder = this.decoder.withOptions(options);
  }

  /**
   * Runs the network only, returning the raw outputs that post-processing needs (for
   * benchmarks and reference checks): with class-agnostic NMS each anchor's best class only,
   * with per-class NMS the whole score matrix.
   */
  async infer(rgb: Uint8Array, options: DetectOptions = {}): Promise<SsdRawOutputs> {
    const expected = this.width * this.height * 3;
    if (rgb.length !== expected) {
      throw new RangeError(
        `detector input must be ${this.width}x${this.height}x3 = ${expected} bytes, got ${rgb.length}`,
      );
    }
    // One run at a time, first come first served: concurrent runs would only fight over the
    // same cores, and FIFO order lets callers prepare the next frame while this one runs
    // without reordering results.
    const best = this.decoder.options.nms === 'class-agnostic';
    const feeds = { image: { type: 'uint8', data: rgb, dims: this.inputShape } } as const;
    const outputs = best
      ? ['box_encodings', 'best_scores', 'best_classes']
      : ['box_encodings', 'class_scores'];
    const transferInputs = options.transfer === true;
    const run = this.queue.then(() => this.session.run(feeds, outputs, { transferInputs }));
    this.queue = run.catch(() => undefined);
    const out = await run;
    const boxEncodings = float32Data(out.box_encodings, 'box_encodings');
    return best
      ? {
          kind: 'best',
          boxEncodings,
          bestScores: float32Data(out.best_scores, 'best_scores'),
          bestClasses: int32Data(out.best_classes, 'best_classes'),
        }
      : { kind: 'all', boxEncodings, scores: float32Data(out.class_scores, 'class_scores') };
  }

  /** Detections in normalised model-input coordinates. */
  async detect(rgb: Uint8Array, options: DetectOptions = {}): Promise<SsdDetection[]> {
    const raw = await this.infer(rgb, options);
    if (raw.kind === 'best' && this.decoder.options.nms === 'per-class') {
      // Switched to per-class NMS while the model ran: the best classes are not enough. Run
      // again, or, when the input was given up, finish this frame as it started.
      if (options.transfer !== true) return this.detect(rgb);
      return this.decoder
        .withOptions({ nms: 'class-agnostic' })
        .decodeBest(raw.boxEncodings, raw.bestScores, raw.bestClasses);
    }
    return this.decode(raw);
  }

  /**
   * Post-processing of raw outputs with the current options.
   *
   * @throws RangeError for 'best' outputs when the options say per-class NMS
   */
  decode(raw: SsdRawOutputs): SsdDetection[] {
    return raw.kind === 'all'
      ? this.decoder.decode(raw.boxEncodings, raw.scores)
      : this.decoder.decodeBest(raw.boxEncodings, raw.bestScores, raw.bestClasses);
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}
