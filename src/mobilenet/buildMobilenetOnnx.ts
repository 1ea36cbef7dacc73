import { OnnxDataType, OnnxGraphBuilder, attr } from '../models/onnx/onnxGraphBuilder.js';
import { foldBatchNorm } from './foldBatchNorm.js';
import type { ConvolutionLayer, DepthwiseLayer, FullyConnectedLayer } from './mobilenetLayer.js';
import type { MobilenetV1Architecture } from './mobilenetV1.js';
import { SeededRandom } from './seededRandom.js';

/** The nonlinearity after every convolution. The paper uses ReLU; TF-Slim's checkpoints use ReLU6. */
export type Activation = 'relu' | 'relu6';

/** Options for {@link buildMobilenetOnnx}. */
export interface BuildMobilenetOnnxOptions {
  /** Seed of the weights; the same seed gives the same bytes. Default 1. */
  seed?: number;
  /** Default 'relu', as the paper. */
  activation?: Activation;
}

/** A built model and what it contains. */
export interface MobilenetOnnxModel {
  /** The serialised ONNX model (opset 13). */
  readonly bytes: Uint8Array;
  /** Input name: float32 NCHW [1, 3, resolution, resolution]. */
  readonly inputName: string;
  readonly inputShape: readonly number[];
  /** Output name: float32 [1, classes], softmax probabilities. */
  readonly outputName: string;
  readonly outputShape: readonly number[];
  /**
   * Elements of the weight initializers (convolution kernels and the FC matrix): equals the cost
   * model's `parameters`.
   */
  readonly weightCount: number;
  /**
   * Elements of the bias initializers: the folded BatchNorm shifts (one per convolution output
   * channel) and the FC bias. Equals the cost model's `biases`. No other initializer holds
   * parameters; ReLU6 adds two scalar constants (its bounds), which are not parameters.
   */
  readonly biasCount: number;
}

/** BatchNorm epsilon of the TF-Slim MobileNetV1. */
const BN_EPSILON = 0.001;

/**
 * Writes a MobileNetV1 as an ONNX graph with deterministic pseudo-random weights: every
 * convolution's BatchNorm is folded into its weights and bias (so the graph has no
 * BatchNormalization nodes), followed by ReLU or ReLU6; then global average pooling, the fully
 * connected layer (Gemm) and Softmax. Padding is TensorFlow's "same" (extra padding at the end
 * for stride 2). The weights are untrained: the model is for shapes, plumbing and timing.
 */
export function buildMobilenetOnnx(
  architecture: MobilenetV1Architecture,
  options: BuildMobilenetOnnxOptions = {},
): MobilenetOnnxModel {
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new RangeError(`'seed' must be a non-negative integer, got ${seed}`);
  const activation = options.activation ?? 'relu';
  const { alpha, resolution, convolution, classes } = architecture;
  const g = new OnnxGraphBuilder(`mobilenet_v1_${alpha}_${resolution}_${convolution}`);
  const inputName = 'input';
  const outputName = 'probabilities';
  const inputShape = [1, architecture.inputChannels, resolution, resolution];
  g.addInput(inputName, OnnxDataType.float, inputShape);
  if (activation === 'relu6') {
    g.addScalar('relu6_min', 0);
    g.addScalar('relu6_max', 6);
  }

  let x = inputName;
  let weightCount = 0;
  let biasCount = 0;
  architecture.layers.forEach((layer, index) => {
    // One generator per layer, so that a layer's weights do not depend on the layers before it.
    const random = new SeededRandom((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
    switch (layer.kind) {
      case 'conv':
      case 'depthwise': {
        const { weights, bias, dims } = foldedConvolution(layer, random);
        g.addInitializer(`${layer.name}_weight`, OnnxDataType.float, dims, weights);
        g.addInitializer(`${layer.name}_bias`, OnnxDataType.float, [bias.length], bias);
        weightCount += weights.length;
        biasCount += bias.length;
        const conv = `${layer.name}_conv`;
        g.addNode('Conv', [x, `${layer.name}_weight`, `${layer.name}_bias`], [conv], {
          kernel_shape: attr.ints([layer.kernel, layer.kernel]),
          strides: attr.ints([layer.stride, layer.stride]),
          pads: attr.ints(samePads(layer.inputSize, layer.outputSize, layer.kernel, layer.stride)),
          group: attr.int(layer.kind === 'depthwise' ? layer.channels : 1),
        });
        x = `${layer.name}_out`;
        if (activation === 'relu') g.addNode('Relu', [conv], [x]);
        else g.addNode('Clip', [conv, 'relu6_min', 'relu6_max'], [x]);
        break;
      }
      case 'avgpool':
        g.addNode('GlobalAveragePool', [x], ['avgpool_out']);
        g.addNode('Flatten', ['avgpool_out'], ['features'], { axis: attr.int(1) });
        x = 'features';
        break;
      case 'fc': {
        const { weights, bias } = fullyConnected(layer, random);
        g.addInitializer(
          'fc_weight',
          OnnxDataType.float,
          [layer.outFeatures, layer.inFeatures],
          weights,
        );
        g.addInitializer('fc_bias', OnnxDataType.float, [layer.outFeatures], bias);
        weightCount += weights.length;
        biasCount += bias.length;
        g.addNode('Gemm', [x, 'fc_weight', 'fc_bias'], ['logits'], { transB: attr.int(1) });
        x = 'logits';
        break;
      }
      case 'softmax':
        g.addNode('Softmax', [x], [outputName], { axis: attr.int(1) });
        x = outputName;
        break;
    }
  });
  const outputShape = [1, classes];
  g.addOutput(outputName, OnnxDataType.float, outputShape);
  const bytes = g.toBytes({
    docString:
      `MobileNetV1 (Howard et al. 2017), alpha ${alpha}, resolution ${resolution}, ${convolution} convolutions, ` +
      `${activation}, BatchNorm folded, untrained weights from seed ${seed}. Built by mobilenet-ros.`,
    metadata: {
      alpha: String(alpha),
      resolution: String(resolution),
      convolution,
      activation,
      seed: String(seed),
    },
  });
  return { bytes, inputName, inputShape, outputName, outputShape, weightCount, biasCount };
}

/** He-initialised weights (OIHW) with a random inference-time BatchNorm folded in. */
function foldedConvolution(
  layer: ConvolutionLayer | DepthwiseLayer,
  random: SeededRandom,
): { weights: Float32Array; bias: Float32Array; dims: number[] } {
  const k = layer.kernel;
  const out = layer.kind === 'depthwise' ? layer.channels : layer.outChannels;
  const inPerGroup = layer.kind === 'depthwise' ? 1 : layer.inChannels;
  const fanIn = inPerGroup * k * k;
  const raw = random.normals(out * fanIn, 0, Math.sqrt(2 / fanIn));
  const folded = foldBatchNorm(raw, {
    gamma: random.uniforms(out, 0.8, 1.2),
    beta: random.normals(out, 0, 0.05),
    mean: random.normals(out, 0, 0.05),
    variance: random.uniforms(out, 0.8, 1.2),
    epsilon: BN_EPSILON,
  });
  return { weights: folded.weights, bias: folded.bias, dims: [out, inPerGroup, k, k] };
}

function fullyConnected(
  layer: FullyConnectedLayer,
  random: SeededRandom,
): { weights: Float32Array; bias: Float32Array } {
  return {
    weights: random.normals(
      layer.outFeatures * layer.inFeatures,
      0,
      Math.sqrt(1 / layer.inFeatures),
    ),
    bias: random.normals(layer.outFeatures, 0, 0.01),
  };
}

/**
 * ONNX pads [top, left, bottom, right] of TensorFlow's "same" padding: the total padding is
 * split with the odd pixel at the end (ONNX's SAME_UPPER).
 */
function samePads(inputSize: number, outputSize: number, kernel: number, stride: number): number[] {
  const total = Math.max((outputSize - 1) * stride + kernel - inputSize, 0);
  const begin = Math.floor(total / 2);
  const end = total - begin;
  return [begin, begin, end, end];
}
