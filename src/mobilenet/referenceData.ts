/**
 * Published numbers for the 16 MobileNetV1 models (alpha in {1, 0.75, 0.5, 0.25} x resolution in
 * {224, 192, 160, 128}), kept as reference data for the benchmark. Only numbers printed in the
 * sources are recorded; a missing cell is `undefined` and shown as unknown.
 */

/** The paper: Howard et al. 2017, "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications", arXiv:1704.04861. */
export const PAPER_SOURCE = 'Howard et al. 2017 (arXiv:1704.04861), Tables 4, 6, 7, 9';

/**
 * The TF-Slim model table: tensorflow/models, research/slim/nets/mobilenet_v1.md, float
 * checkpoints `mobilenet_v1_2018_02_22`. The only source with all 16 cells; these are later
 * retrained checkpoints, not the paper's models, and their MAC counts differ from the paper's in
 * places (see src/mobilenet/README.md).
 */
export const TF_SLIM_SOURCE =
  'TF-Slim mobilenet_v1.md (tensorflow/models research/slim/nets), checkpoints mobilenet_v1_2018_02_22';

/** A cell the paper prints: ImageNet top-1 (%), million mult-adds, million parameters. */
export interface PaperCell {
  readonly top1: number;
  readonly multAddsM: number;
  readonly parametersM: number;
  /** Where in the paper. */
  readonly table: string;
}

/** A row of the TF-Slim table. */
export interface TfSlimRow {
  readonly top1: number;
  readonly top5: number;
  readonly macsM: number;
  readonly parametersM: number;
}

/** Reference numbers of one (alpha, resolution) model. */
export interface ReferenceModel {
  readonly alpha: number;
  readonly resolution: number;
  /** The paper's numbers, where it prints this model. */
  readonly paper: PaperCell | undefined;
  readonly tfSlim: TfSlimRow | undefined;
}

const PAPER: Readonly<Record<string, PaperCell>> = {
  '1_224': { top1: 70.6, multAddsM: 569, parametersM: 4.2, table: 'Tables 4, 6, 7' },
  '0.75_224': { top1: 68.4, multAddsM: 325, parametersM: 2.6, table: 'Table 6' },
  '0.5_224': { top1: 63.7, multAddsM: 149, parametersM: 1.3, table: 'Table 6' },
  '0.25_224': { top1: 50.6, multAddsM: 41, parametersM: 0.5, table: 'Table 6' },
  '1_192': { top1: 69.1, multAddsM: 418, parametersM: 4.2, table: 'Table 7' },
  '1_160': { top1: 67.2, multAddsM: 290, parametersM: 4.2, table: 'Table 7' },
  '1_128': { top1: 64.4, multAddsM: 186, parametersM: 4.2, table: 'Table 7' },
  '0.5_160': { top1: 60.2, multAddsM: 76, parametersM: 1.32, table: 'Table 9' },
};

const TF_SLIM: Readonly<Record<string, TfSlimRow>> = {
  '1_224': { macsM: 569, parametersM: 4.24, top1: 70.9, top5: 89.9 },
  '1_192': { macsM: 418, parametersM: 4.24, top1: 70.0, top5: 89.2 },
  '1_160': { macsM: 291, parametersM: 4.24, top1: 68.0, top5: 87.7 },
  '1_128': { macsM: 186, parametersM: 4.24, top1: 65.2, top5: 85.8 },
  '0.75_224': { macsM: 317, parametersM: 2.59, top1: 68.4, top5: 88.2 },
  '0.75_192': { macsM: 233, parametersM: 2.59, top1: 67.2, top5: 87.3 },
  '0.75_160': { macsM: 162, parametersM: 2.59, top1: 65.3, top5: 86.0 },
  '0.75_128': { macsM: 104, parametersM: 2.59, top1: 62.1, top5: 83.9 },
  '0.5_224': { macsM: 150, parametersM: 1.34, top1: 63.3, top5: 84.9 },
  '0.5_192': { macsM: 110, parametersM: 1.34, top1: 61.7, top5: 83.6 },
  '0.5_160': { macsM: 77, parametersM: 1.34, top1: 59.1, top5: 81.9 },
  '0.5_128': { macsM: 49, parametersM: 1.34, top1: 56.3, top5: 79.4 },
  '0.25_224': { macsM: 41, parametersM: 0.47, top1: 49.8, top5: 74.2 },
  '0.25_192': { macsM: 34, parametersM: 0.47, top1: 47.7, top5: 72.3 },
  '0.25_160': { macsM: 21, parametersM: 0.47, top1: 45.5, top5: 70.3 },
  '0.25_128': { macsM: 14, parametersM: 0.47, top1: 41.5, top5: 66.3 },
};

/** Reference numbers for a model; both parts are undefined for a model no source lists. */
export function referenceModel(alpha: number, resolution: number): ReferenceModel {
  const key = `${alpha}_${resolution}`;
  return { alpha, resolution, paper: PAPER[key], tfSlim: TF_SLIM[key] };
}
