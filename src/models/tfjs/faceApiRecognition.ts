import { attr, OnnxDataType } from '../onnx/onnxGraphBuilder.js';
import { TfjsGraph } from './tfjsGraph.js';
import type { TfjsTensor, TfjsWeights } from './tfjsWeights.js';

/**
 * face-api's face recognition net (`face_recognition_model`, the dlib-style ResNet that maps a
 * face to a 128-d descriptor) rebuilt as ONNX from its TF.js weights.
 *
 * The network, as face-api 1.7.15 computes it on a 150x150 RGB face:
 * - input: subtract the per-channel mean RGB, then divide by 255;
 * - stem: 7x7 conv, stride 2, VALID padding (150 -> 72), scale layer, ReLU; 3x3 max pool,
 *   stride 2, VALID (72 -> 35);
 * - residual stages 32x3, 64x4, 128x3, 256x3 plus one last 256 block: each block is
 *   conv3x3+scale+ReLU, conv3x3+scale, add the shortcut, ReLU. The first block of a stage
 *   ("down" block: conv64_down, conv128_down, conv256_down, conv256_down_out) starts with a
 *   stride-2 VALID conv; its shortcut is a 2x2 stride-2 VALID average pool of the block's input,
 *   zero-padded on the channel axis when the channel count doubles. Where the pooled shortcut is
 *   one pixel larger than the main branch (8 -> 3 vs 4, 4 -> 1 vs 2), the main branch gets a row
 *   of zeros at the bottom and a column of zeros at the right before the sum;
 * - spatial mean (2x2 -> 1), then a 256 -> 128 matrix product without bias.
 * The descriptor is returned raw, not L2-normalised (face-api compares raw descriptors with a
 * euclidean distance, 0.6 being its usual threshold).
 *
 * Every conv is followed by its "scale" layer (x * weights + biases per channel) with nothing in
 * between, so the scale is folded into the conv: (W*x + b) * s + o = (W*s)*x + (b*s + o). This is
 * exact in real arithmetic for every output pixel, including those whose window reaches into the
 * conv's zero padding, because the scale acts per output channel after the whole sum; only
 * float32 rounding differs from face-api's separate ops.
 */

/** Input side in pixels (square faces). */
export const FACE_API_RECOGNITION_INPUT_SIZE = 150;

/** Length of the descriptor. */
export const FACE_API_DESCRIPTOR_LENGTH = 128;

/** face-api's mean RGB of its training faces, subtracted before dividing by 255. */
const MEAN_RGB = [122.782, 117.001, 104.298] as const;

/** The residual blocks in order: name, output channels, whether it is a "down" block. */
const BLOCKS: readonly (readonly [string, number, boolean])[] = [
  ['conv32_1', 32, false],
  ['conv32_2', 32, false],
  ['conv32_3', 32, false],
  ['conv64_down', 64, true],
  ['conv64_1', 64, false],
  ['conv64_2', 64, false],
  ['conv64_3', 64, false],
  ['conv128_down', 128, true],
  ['conv128_1', 128, false],
  ['conv128_2', 128, false],
  ['conv256_down', 256, true],
  ['conv256_1', 256, false],
  ['conv256_2', 256, false],
  ['conv256_down_out', 256, true],
];

/** A tensor in the graph with its static channel count and spatial side. */
interface Value {
  readonly name: string;
  readonly channels: number;
  readonly side: number;
}

/** Builds the ONNX model (opset 13) from face-api's `face_recognition_model` weights. */
export function buildFaceRecognitionOnnx(weights: TfjsWeights): Uint8Array {
  const graph = new TfjsGraph('face_api_face_recognition');
  const size = FACE_API_RECOGNITION_INPUT_SIZE;
  const input = graph.builder.addInput('input', OnnxDataType.float, ['batch', 3, size, size]);

  // (x - mean) / 255, written as face-api computes it (a subtraction, then a division).
  const centred = graph.op('Sub', [
    input,
    graph.constant('mean_rgb', [1, 3, 1, 1], Float32Array.from(MEAN_RGB)),
  ]);
  const normalised = graph.op('Div', [
    centred,
    graph.constant('divisor', [], Float32Array.of(255)),
  ]);

  let x: Value = { name: normalised, channels: 3, side: size };
  x = convScaled(graph, weights, x, 'conv32_down', 32, 7, 2, true);
  x = {
    name: graph.maxPool(x.name, 3, 2, 'valid'),
    channels: x.channels,
    side: validSide(x.side, 3, 2),
  };

  for (const [prefix, channels, down] of BLOCKS) {
    x = down
      ? residualDown(graph, weights, x, prefix, channels)
      : residual(graph, weights, x, prefix);
  }
  if (x.side !== 2 || x.channels !== 256) {
    throw new Error(
      `face recognition net: expected a 256x2x2 feature map, got ${x.channels}x${x.side}x${x.side}`,
    );
  }

  const pooled = graph.op('ReduceMean', [x.name], {
    axes: attr.ints([2, 3]),
    keepdims: attr.int(0),
  });
  const fc = weights.get('fc', [256, FACE_API_DESCRIPTOR_LENGTH]);
  graph.builder.addNode(
    'MatMul',
    [pooled, graph.constant('fc', [256, FACE_API_DESCRIPTOR_LENGTH], fc.data)],
    ['embedding'],
  );
  graph.builder.addOutput('embedding', OnnxDataType.float, ['batch', FACE_API_DESCRIPTOR_LENGTH]);

  return graph.builder.toBytes({
    opset: 13,
    docString:
      'face-api face recognition net (ResNet-34-like, 150x150 RGB 0..255 in, raw 128-d descriptor out), ' +
      'built by mobilenet-ros from the TF.js weights face_recognition_model of npm @vladmandic/face-api@1.7.15 (MIT); ' +
      'each conv has its scale layer folded in.',
  });
}

/** Output side of a VALID window of `kernel` and `stride` over `side` pixels. */
function validSide(side: number, kernel: number, stride: number): number {
  return Math.floor((side - kernel) / stride) + 1;
}

/**
 * conv (+bias) followed by its scale layer, folded into one Conv, and optionally a ReLU.
 * Stride 1 convs pad 'same'; stride 2 convs are VALID, as in face-api.
 */
function convScaled(
  graph: TfjsGraph,
  weights: TfjsWeights,
  x: Value,
  prefix: string,
  channels: number,
  kernel: number,
  stride: 1 | 2,
  relu: boolean,
): Value {
  const filter = weights.get(`${prefix}/conv/filters`, [kernel, kernel, x.channels, channels]);
  const bias = weights.get(`${prefix}/conv/bias`, [channels]);
  const scale = weights.get(`${prefix}/scale/weights`, [channels]).data;
  const offset = weights.get(`${prefix}/scale/biases`, [channels]).data;

  // HWIO: the output channel is the fastest axis.
  const folded = new Float32Array(filter.data.length);
  for (let i = 0; i < folded.length; i++) folded[i] = filter.data[i]! * scale[i % channels]!;
  const foldedBias = bias.data.map((b, c) => b * scale[c]! + offset[c]!);
  const tensor = (name: string, shape: readonly number[], data: Float32Array): TfjsTensor => ({
    name,
    shape,
    data,
  });

  const padding = stride === 1 ? 'same' : 'valid';
  const out = graph.conv(x.name, tensor(`${prefix}/conv_scaled`, filter.shape, folded), {
    strides: stride,
    padding,
    bias: tensor(`${prefix}/bias_scaled`, [channels], foldedBias),
  });
  return {
    name: relu ? graph.relu(out) : out,
    channels,
    side: stride === 1 ? x.side : validSide(x.side, kernel, stride),
  };
}

/** Two 3x3 convs, the input added back, ReLU. */
function residual(graph: TfjsGraph, weights: TfjsWeights, x: Value, prefix: string): Value {
  const a = convScaled(graph, weights, x, `${prefix}/conv1`, x.channels, 3, 1, true);
  const b = convScaled(graph, weights, a, `${prefix}/conv2`, x.channels, 3, 1, false);
  return { name: graph.relu(graph.add(b.name, x.name)), channels: x.channels, side: x.side };
}

/**
 * A block that halves the side (stride-2 VALID conv) and may double the channels; its shortcut
 * is a 2x2 average pool, zero-padded to the new channel count, and the main branch is padded
 * with zeros at the bottom and right where it came out one pixel smaller than the pool.
 */
function residualDown(
  graph: TfjsGraph,
  weights: TfjsWeights,
  x: Value,
  prefix: string,
  channels: number,
): Value {
  const a = convScaled(graph, weights, x, `${prefix}/conv1`, channels, 3, 2, true);
  const b = convScaled(graph, weights, a, `${prefix}/conv2`, channels, 3, 1, false);

  let shortcut = graph.avgPool(x.name, 2, 2, 'valid');
  const pooledSide = validSide(x.side, 2, 2);
  if (channels !== x.channels) {
    if (channels !== 2 * x.channels) {
      throw new Error(
        `${prefix}: a shortcut from ${x.channels} to ${channels} channels is not a doubling`,
      );
    }
    shortcut = pad(graph, shortcut, [0, 0, 0, 0, 0, channels - x.channels, 0, 0]);
  }

  let main = b.name;
  if (b.side !== pooledSide) {
    if (pooledSide - b.side !== 1) {
      throw new Error(`${prefix}: main branch ${b.side}px vs shortcut ${pooledSide}px`);
    }
    main = pad(graph, main, [0, 0, 0, 0, 0, 0, 1, 1]);
  }
  return { name: graph.relu(graph.add(main, shortcut)), channels, side: pooledSide };
}

/** Zero padding; `pads` is ONNX's [begin per axis..., end per axis...] over NCHW. */
function pad(graph: TfjsGraph, x: string, pads: readonly number[]): string {
  return graph.op('Pad', [x, graph.int64s('pads', pads)], { mode: attr.string('constant') });
}
