import type { Mat } from './cv.js';
import type { ModelInputTransform } from './modelInputTransform.js';
import { toModelInput, type ModelInputOptions } from './toModelInput.js';

/** Three numbers, one per channel, in the model's channel order. */
export type ChannelTriple = readonly [number, number, number];

/** Options of toModelTensor: those of toModelInput plus normalisation and layout. */
export interface ModelTensorOptions extends ModelInputOptions {
  /** Subtracted from each channel's 0..255 value, in `channelOrder` order. */
  readonly mean: ChannelTriple;
  /** Each channel's value is divided by this after the mean, in `channelOrder` order; non-zero. */
  readonly std: ChannelTriple;
  /** 'nchw' ([1, 3, H, W], planar) or 'nhwc' ([1, H, W, 3], interleaved). */
  readonly layout: 'nchw' | 'nhwc';
}

/** A float32 input tensor for a model. */
export interface ModelTensor {
  /** (value - mean[c]) / std[c] for each pixel value of the resized frame. */
  readonly data: Float32Array;
  /** [1, 3, height, width] for 'nchw', [1, height, width, 3] for 'nhwc'. */
  readonly dims: readonly number[];
  /** Maps normalised model-input coordinates to source pixels; see mapBoxToSource. */
  readonly transform: ModelInputTransform;
}

/**
 * Resizes a BGR frame like toModelInput, then normalises it to float32: value = (v - mean[c]) /
 * std[c], in the requested layout. E.g. MobileFaceNet: mean [127.5, 127.5, 127.5], std
 * [128, 128, 128]; ImageNet-style: mean [123.675, 116.28, 103.53], std [58.395, 57.12, 57.375]
 * with channelOrder 'rgb'. The frame is not modified or released.
 *
 * @throws TypeError for a Mat that is not CV_8UC3; RangeError for bad sizes, mean, std or layout.
 */
export function toModelTensor(mat: Mat, options: ModelTensorOptions): ModelTensor {
  const { mean, std, layout } = options;
  checkTriple('mean', mean, false);
  checkTriple('std', std, true);
  if (layout !== 'nchw' && layout !== 'nhwc') {
    throw new RangeError(`'layout' must be 'nchw' or 'nhwc', got ${JSON.stringify(layout)}`);
  }
  const { data: pixels, transform } = toModelInput(mat, options);
  const { inputWidth: width, inputHeight: height } = transform;

  // One table lookup per value instead of a subtraction and a division.
  const table = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < 256; v++) table[c * 256 + v] = (v - mean[c]!) / std[c]!;
  }
  const plane = width * height;
  const data = new Float32Array(3 * plane);
  if (layout === 'nhwc') {
    for (let i = 0; i < 3 * plane; i += 3) {
      data[i] = table[pixels[i]!]!;
      data[i + 1] = table[256 + pixels[i + 1]!]!;
      data[i + 2] = table[512 + pixels[i + 2]!]!;
    }
    return { data, dims: [1, height, width, 3], transform };
  }
  for (let p = 0, i = 0; p < plane; p++, i += 3) {
    data[p] = table[pixels[i]!]!;
    data[plane + p] = table[256 + pixels[i + 1]!]!;
    data[2 * plane + p] = table[512 + pixels[i + 2]!]!;
  }
  return { data, dims: [1, 3, height, width], transform };
}

function checkTriple(name: string, value: ChannelTriple, nonZero: boolean): void {
  const ok =
    Array.isArray(value) &&
    value.length === 3 &&
    value.every((v) => Number.isFinite(v) && (!nonZero || v !== 0));
  if (!ok) {
    throw new RangeError(
      `'${name}' must be 3 finite numbers${nonZero ? ', none zero' : ''}, got ${JSON.stringify(value)}`,
    );
  }
}
