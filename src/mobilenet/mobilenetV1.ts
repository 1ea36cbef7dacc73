import type { MobileNetLayer } from './mobilenetLayer.js';

/** How the 13 body blocks convolve: the paper's depthwise separable blocks, or Table 4's full convolutions. */
export type ConvolutionStyle = 'separable' | 'standard';

/** Options for {@link mobilenetV1}. */
export interface MobilenetV1Options {
  /** Width multiplier alpha in (0, 1]. Default 1. */
  alpha?: number;
  /** Input side in pixels (224 x rho): a multiple of 32, at least 32. Default 224. */
  resolution?: number;
  /**
   * 'separable' (default): each body block is a 3x3 depthwise + 1x1 pointwise convolution.
   * 'standard': each block is one full 3x3 convolution with the same input and output channels
   * and stride ("Conv MobileNet" of the paper's Table 4).
   */
  convolution?: ConvolutionStyle;
  /** Classifier outputs. Default 1000 (ImageNet). */
  classes?: number;
}

/** A MobileNetV1 resolved to concrete layer shapes. Plain data. */
export interface MobilenetV1Architecture {
  readonly alpha: number;
  readonly resolution: number;
  readonly convolution: ConvolutionStyle;
  readonly classes: number;
  /** Input channels (RGB). */
  readonly inputChannels: 3;
  readonly layers: readonly MobileNetLayer[];
}

/** The fewest channels a layer keeps however small alpha is (as the TF-Slim reference code). */
export const MIN_CHANNELS = 8;

/** The first layer of Table 1: a full 3x3 convolution with stride 2 to 32 channels (at alpha 1). */
const STEM = { kernel: 3, stride: 2, channels: 32 } as const;

/**
 * The 13 depthwise separable blocks of Table 1 at alpha 1: the stride of each block's depthwise
 * layer and the output channels of its pointwise layer. Table 1 prints "s2" for the depthwise
 * layer of block 13, but its input and output are both 7x7 there, so the stride is 1 (as in the
 * TF-Slim reference code); see src/mobilenet/README.md.
 */
const BLOCKS: readonly { readonly stride: 1 | 2; readonly channels: number }[] = [
  { stride: 1, channels: 64 },
  { stride: 2, channels: 128 },
  { stride: 1, channels: 128 },
  { stride: 2, channels: 256 },
  { stride: 1, channels: 256 },
  { stride: 2, channels: 512 },
  { stride: 1, channels: 512 },
  { stride: 1, channels: 512 },
  { stride: 1, channels: 512 },
  { stride: 1, channels: 512 },
  { stride: 1, channels: 512 },
  { stride: 2, channels: 1024 },
  { stride: 1, channels: 1024 },
];

/** Kernel side of the depthwise (and standard-variant) convolutions. */
const KERNEL = 3;

/**
 * MobileNetV1 as data: Table 1 of Howard et al. (2017) with the width multiplier applied to every
 * layer's channels and the feature maps sized for the input resolution.
 *
 * @throws RangeError when alpha is outside (0, 1], the resolution is not a multiple of 32 that is
 *   at least 32, or classes is not a positive integer.
 */
export function mobilenetV1(options: MobilenetV1Options = {}): MobilenetV1Architecture {
  const alpha = options.alpha ?? 1;
  const resolution = options.resolution ?? 224;
  const convolution = options.convolution ?? 'separable';
  const classes = options.classes ?? 1000;
  checkAlpha(alpha);
  checkResolution(resolution);
  if (!Number.isSafeInteger(classes) || classes < 1) {
    throw new RangeError(`'classes' must be a positive integer, got ${classes}`);
  }
  if (convolution !== 'separable' && convolution !== 'standard') {
    throw new RangeError(
      `'convolution' must be 'separable' or 'standard', got '${String(convolution)}'`,
    );
  }

  const layers: MobileNetLayer[] = [];
  let size = resolution;
  let channels = scaleChannels(STEM.channels, alpha);
  layers.push({
    kind: 'conv',
    name: 'conv0',
    block: 0,
    kernel: STEM.kernel,
    stride: STEM.stride,
    inChannels: 3,
    outChannels: channels,
    inputSize: size,
    outputSize: outputSize(size, STEM.stride),
  });
  size = outputSize(size, STEM.stride);

  BLOCKS.forEach((spec, i) => {
    const block = i + 1;
    const out = scaleChannels(spec.channels, alpha);
    const next = outputSize(size, spec.stride);
    if (convolution === 'standard') {
      layers.push({
        kind: 'conv',
        name: `block${block}_conv`,
        block,
        kernel: KERNEL,
        stride: spec.stride,
        inChannels: channels,
        outChannels: out,
        inputSize: size,
        outputSize: next,
      });
    } else {
      layers.push({
        kind: 'depthwise',
        name: `block${block}_dw`,
        block,
        kernel: KERNEL,
        stride: spec.stride,
        channels,
        inputSize: size,
        outputSize: next,
      });
      layers.push({
        kind: 'conv',
        name: `block${block}_pw`,
        block,
        kernel: 1,
        stride: 1,
        inChannels: channels,
        outChannels: out,
        inputSize: next,
        outputSize: next,
      });
    }
    channels = out;
    size = next;
  });

  layers.push({ kind: 'avgpool', name: 'avgpool', block: 0, channels, inputSize: size });
  layers.push({ kind: 'fc', name: 'fc', block: 0, inFeatures: channels, outFeatures: classes });
  layers.push({ kind: 'softmax', name: 'softmax', block: 0, classes });
  return { alpha, resolution, convolution, classes, inputChannels: 3, layers };
}

/**
 * Channels of a layer under width multiplier alpha: floor(alpha * channels), at least
 * {@link MIN_CHANNELS}. This is the TF-Slim rule (`max(int(d * depth_multiplier), min_depth)`);
 * for the paper's alphas 1, 0.75, 0.5, 0.25 every product is an exact integer.
 */
export function scaleChannels(channels: number, alpha: number): number {
  checkAlpha(alpha);
  // The epsilon keeps products that are integers in exact arithmetic (0.3 * 160 = 47.99999...) whole.
  return Math.max(MIN_CHANNELS, Math.floor(alpha * channels + 1e-9));
}

/** @throws RangeError unless alpha is a number in (0, 1]. */
export function checkAlpha(alpha: number): void {
  if (!(Number.isFinite(alpha) && alpha > 0 && alpha <= 1)) {
    throw new RangeError(`'alpha' must be in (0, 1], got ${alpha}`);
  }
}

/** @throws RangeError unless the resolution is an integer multiple of 32 that is at least 32. */
export function checkResolution(resolution: number): void {
  if (!(Number.isSafeInteger(resolution) && resolution >= 32 && resolution % 32 === 0)) {
    throw new RangeError(
      `'resolution' must be a multiple of 32 that is at least 32, got ${resolution}`,
    );
  }
}

function outputSize(inputSize: number, stride: number): number {
  return Math.ceil(inputSize / stride);
}
