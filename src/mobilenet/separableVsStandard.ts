import { layerCost } from './layerCost.js';
import type { MobilenetV1Architecture } from './mobilenetV1.js';

/**
 * The paper's reduction in computation of a depthwise separable convolution against the full
 * convolution it replaces (Section 3.1):
 * (D_K^2 M D_F^2 + M N D_F^2) / (D_K^2 M N D_F^2) = 1/N + 1/D_K^2.
 *
 * @param kernel D_K, a positive integer.
 * @param outChannels N, a positive integer.
 */
export function separableCostRatio(kernel: number, outChannels: number): number {
  if (!Number.isSafeInteger(kernel) || kernel < 1) {
    throw new RangeError(`'kernel' must be a positive integer, got ${kernel}`);
  }
  if (!Number.isSafeInteger(outChannels) || outChannels < 1) {
    throw new RangeError(`'outChannels' must be a positive integer, got ${outChannels}`);
  }
  return 1 / outChannels + 1 / (kernel * kernel);
}

/** One depthwise separable block compared with the full convolution it replaces. */
export interface BlockComparison {
  readonly block: number;
  /** D_K. */
  readonly kernel: number;
  /** M. */
  readonly inChannels: number;
  /** N. */
  readonly outChannels: number;
  /** D_F, the output side. */
  readonly featureSize: number;
  /** Mult-adds of the depthwise + pointwise pair. */
  readonly separableMultAdds: number;
  /** Mult-adds of one D_K x D_K x M x N convolution with the same stride. */
  readonly standardMultAdds: number;
  /** separableMultAdds / standardMultAdds, counted layer by layer. */
  readonly ratio: number;
  /** 1/N + 1/D_K^2; equals `ratio` up to rounding. */
  readonly formula: number;
}

/**
 * For every depthwise separable block of a separable MobileNetV1, its mult-adds against those
 * of the standard convolution it replaces, and the paper's closed form 1/N + 1/D_K^2.
 *
 * @throws RangeError for an architecture built with standard convolutions.
 */
export function separableVsStandard(architecture: MobilenetV1Architecture): BlockComparison[] {
  if (architecture.convolution !== 'separable') {
    throw new RangeError(
      `'convolution' must be 'separable' to compare blocks, got '${architecture.convolution}'`,
    );
  }
  const out: BlockComparison[] = [];
  const layers = architecture.layers;
  for (let i = 0; i + 1 < layers.length; i++) {
    const dw = layers[i];
    const pw = layers[i + 1];
    if (dw?.kind !== 'depthwise' || pw?.kind !== 'conv') continue;
    const separableMultAdds = layerCost(dw).multAdds + layerCost(pw).multAdds;
    const standardMultAdds = layerCost({
      kind: 'conv',
      name: `block${dw.block}_conv`,
      block: dw.block,
      kernel: dw.kernel,
      stride: dw.stride,
      inChannels: dw.channels,
      outChannels: pw.outChannels,
      inputSize: dw.inputSize,
      outputSize: dw.outputSize,
    }).multAdds;
    out.push({
      block: dw.block,
      kernel: dw.kernel,
      inChannels: dw.channels,
      outChannels: pw.outChannels,
      featureSize: dw.outputSize,
      separableMultAdds,
      standardMultAdds,
      ratio: separableMultAdds / standardMultAdds,
      formula: separableCostRatio(dw.kernel, pw.outChannels),
    });
  }
  return out;
}
