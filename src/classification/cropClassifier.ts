import fs from 'node:fs/promises';
import type { ClassifierConfig } from '../config/classifierConfig.js';
import { LabelMap } from '../models/labelMap.js';
import { ConfigError, ModelError } from '../errors.js';
import type { FrameImage } from '../image/frameImage.js';
import { ModelSession, type ModelSessionOptions } from '../inference/modelSession.js';
import type { ProviderReport } from '../inference/providerReport.js';
import { float32Data } from '../inference/tensorData.js';
import type { Box } from '../postprocess/box.js';
import { softmax, topK } from '../postprocess/topK.js';

/** One classifier result for a crop. */
export interface Classification {
  readonly label: string;
  readonly score: number;
}

/**
 * Runs an ImageNet-style classifier on crops of a frame. Checks at creation that the model's
 * input is [N, 3, H, W] with the configured size and that its output has one score per label,
 * so a mismatched model fails at start-up with the values, not per frame. Owns its session.
 */
export class CropClassifier {
  private constructor(
    private readonly session: ModelSession,
    private readonly config: ClassifierConfig,
    private readonly labels: LabelMap,
    private readonly inputName: string,
    private readonly outputName: string,
    private readonly classCount: number,
  ) {}

  static async create(
    config: ClassifierConfig,
    session: ModelSessionOptions = {},
  ): Promise<CropClassifier> {
    let labelText: string;
    try {
      labelText = await fs.readFile(config.labels, 'utf8');
    } catch (error) {
      throw new ConfigError(
        'CONFIG_INVALID',
        `classifier labels file ${config.labels} cannot be read: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const labels = LabelMap.parse(labelText, config.labels);
    const model = await ModelSession.create(config.model, { label: 'crop classifier', ...session });
    try {
      const input = model.inputs[0];
      const output = model.outputs[0];
      if (input === undefined || output === undefined)
        throw new ModelError(
          'MODEL_UNSUPPORTED',
          `classifier ${config.model} has no input or output`,
        );
      const [, c, h, w] = input.dims;
      if (
        input.dims.length !== 4 ||
        c !== 3 ||
        (typeof h === 'number' && h !== config.inputHeight) ||
        (typeof w === 'number' && w !== config.inputWidth)
      ) {
        throw new ConfigError(
          'CONFIG_INVALID',
          `classifier ${config.model}: input '${input.name}' is [${input.dims.join(', ')}], but the config says [N, 3, ${config.inputHeight}, ${config.inputWidth}] ` +
            `(set classifier.input_width/input_height to the model's size; only NCHW models are supported)`,
        );
      }
      const classes = output.dims[output.dims.length - 1];
      const labelCount = labels.entries().length;
      if (output.dims.length !== 2 || (typeof classes === 'number' && classes !== labelCount)) {
        throw new ConfigError(
          'CONFIG_INVALID',
          `classifier ${config.model}: output '${output.name}' is [${output.dims.join(', ')}], but ${config.labels} has ${labelCount} labels ` +
            '(the output must be [N, number of labels])',
        );
      }
      return new CropClassifier(model, config, labels, input.name, output.name, labelCount);
    } catch (error) {
      await model.close();
      throw error;
    }
  }

  get providerReport(): ProviderReport {
    return this.session.providerReport;
  }

  /** Whether detections with this label are classified. */
  appliesTo(label: string): boolean {
    return this.config.classes === undefined || this.config.classes.includes(label);
  }

  /** The top-k classes of each box's crop, in box order. */
  async classify(image: FrameImage, boxes: readonly Box[]): Promise<Classification[][]> {
    const results: Classification[][] = [];
    for (const box of boxes) {
      const tensor = image.cropTensor(box, {
        width: this.config.inputWidth,
        height: this.config.inputHeight,
        resize: 'stretch',
        channelOrder: this.config.channelOrder,
        mean: this.config.mean,
        std: this.config.std,
        layout: 'nchw',
      });
      const out = await this.session.run({
        [this.inputName]: { type: 'float32', data: tensor.data, dims: tensor.dims },
      });
      const raw = float32Data(out[this.outputName], this.outputName).subarray(0, this.classCount);
      const scores = this.config.softmax ? softmax(raw) : raw;
      results.push(
        topK(scores, this.config.topK).map((r) => ({
          label: this.labels.name(r.index),
          score: r.score,
        })),
      );
    }
    return results;
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}
