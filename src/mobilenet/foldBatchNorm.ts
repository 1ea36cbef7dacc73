/** Inference-time BatchNorm parameters of one layer, one value per output channel. */
export interface BatchNormParameters {
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly mean: Float32Array;
  readonly variance: Float32Array;
  /** Added to the variance. TF-Slim MobileNetV1 uses 0.001. */
  readonly epsilon: number;
}

/** A convolution with its BatchNorm folded in. */
export interface FoldedConvolution {
  /** Same layout as the input weights, each output channel scaled. */
  readonly weights: Float32Array;
  /** One bias per output channel. */
  readonly bias: Float32Array;
}

/**
 * Folds BatchNorm into the convolution before it: BN(conv(x, W)) = conv(x, W') + b' with
 * s = gamma / sqrt(variance + epsilon), W'[o] = s[o] * W[o], b'[o] = beta[o] - s[o] * mean[o].
 * Weights are laid out output channel first (ONNX OIHW), so output channel o owns the contiguous
 * slice [o * n, (o + 1) * n) with n = weights.length / outChannels. Pure; inputs are not changed.
 *
 * @throws RangeError when the sizes disagree or epsilon is not positive.
 */
export function foldBatchNorm(weights: Float32Array, bn: BatchNormParameters): FoldedConvolution {
  const outChannels = bn.gamma.length;
  for (const [name, values] of [
    ['beta', bn.beta],
    ['mean', bn.mean],
    ['variance', bn.variance],
  ] as const) {
    if (values.length !== outChannels) {
      throw new RangeError(
        `'${name}' must have ${outChannels} values (one per output channel), got ${values.length}`,
      );
    }
  }
  if (outChannels === 0 || weights.length % outChannels !== 0) {
    throw new RangeError(
      `'weights' must hold a whole number of filters for ${outChannels} output channels, got ${weights.length} values`,
    );
  }
  if (!(bn.epsilon > 0)) throw new RangeError(`'epsilon' must be > 0, got ${bn.epsilon}`);
  const perChannel = weights.length / outChannels;
  const folded = new Float32Array(weights.length);
  const bias = new Float32Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    const scale = (bn.gamma[o] ?? 0) / Math.sqrt((bn.variance[o] ?? 0) + bn.epsilon);
    for (let i = o * perChannel; i < (o + 1) * perChannel; i++)
      folded[i] = (weights[i] ?? 0) * scale;
    bias[o] = (bn.beta[o] ?? 0) - scale * (bn.mean[o] ?? 0);
  }
  return { weights: folded, bias };
}
