import { CropClassifier } from '../classification/cropClassifier.js';
import type { AppConfig } from '../config/detectorConfig.js';
import { providerChainFor } from '../config/providerConfig.js';
import type { ModelSessionOptions } from '../inference/modelSession.js';
import type { ProviderReport } from '../inference/providerReport.js';
import {
  chooseModelForm,
  formatModelFormChoice,
  type ModelFormChoice,
} from '../detection/modelFormChoice.js';
import { SsdDetector } from '../detection/ssdDetector.js';
import { FaceStage } from '../faces/faceStage.js';
import { ObjectDetectionStage, type ImageObserver } from './objectDetectionStage.js';

/**
 * The models of the detection pipeline, loaded from one config: the SSD detector and, when
 * configured, the crop classifier, with the stage that runs them. Owns the models; close() it.
 * The ROS node, `replay`, `detect` and `bench` all build their pipeline here.
 */
export class DetectionPipeline {
  private closed = false;

  private constructor(
    readonly detector: SsdDetector,
    readonly classifier: CropClassifier | undefined,
    readonly faces: FaceStage | undefined,
    readonly stage: ObjectDetectionStage,
    /** How `detector.model_form: auto` chose the detector's form; undefined for an explicit form. */
    readonly formChoice: ModelFormChoice | undefined,
  ) {}

  static async create(
    config: AppConfig,
    options: {
      observer?: ImageObserver;
      /** Receives the line saying which form `auto` chose. Default: stderr. */
      log?: (line: string) => void;
    } = {},
  ): Promise<DetectionPipeline> {
    const session = (model: string): ModelSessionOptions => ({
      intraOpThreads: config.inference.threads,
      spinWait: config.inference.spinWait,
      providers: providerChainFor(config.inference.providers, model),
    });
    const formChoice =
      config.detector.modelForm === 'auto'
        ? await chooseModelForm({ modelsDir: config.modelsDir, session: session('coco_detector') })
        : undefined;
    if (formChoice !== undefined) {
      const line = formatModelFormChoice(formChoice);
      (options.log ?? ((l: string) => process.stderr.write(`mobilenet-ros: ${l}\n`)))(line);
    }
    const detector = await SsdDetector.create({
      modelsDir: config.modelsDir,
      form:
        formChoice?.form ??
        (config.detector.modelForm === 'auto' ? 'qdq' : config.detector.modelForm),
      session: session('coco_detector'),
    });
    let classifier: CropClassifier | undefined;
    let faces: FaceStage | undefined;
    try {
      classifier =
        config.classifier === undefined
          ? undefined
          : await CropClassifier.create(config.classifier, session('classifier'));
      faces = config.faces.enabled
        ? await FaceStage.create({
            modelsDir: config.modelsDir,
            config: config.faces,
            threads: config.inference.threads,
          })
        : undefined;
      const stage = new ObjectDetectionStage(detector, config.detector, {
        observer: options.observer,
        classifier,
        faces,
        image: config.image,
        tracking: config.tracking,
      });
      return new DetectionPipeline(detector, classifier, faces, stage, formChoice);
    } catch (error) {
      await faces?.close();
      await classifier?.close();
      await detector.close();
      throw error;
    }
  }

  /** Where each model runs (for logs and /diagnostics). */
  providerReports(): ProviderReport[] {
    return [
      this.detector.providerReport,
      ...(this.classifier === undefined ? [] : [this.classifier.providerReport]),
    ];
  }

  /** Releases every model. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.faces?.close();
    await this.classifier?.close();
    await this.detector.close();
  }
}
