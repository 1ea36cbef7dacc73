import { attr, OnnxDataType } from '../onnx/onnxGraphBuilder.js';
import { TfjsGraph } from './tfjsGraph.js';
import type { TfjsTensor, TfjsWeights } from './tfjsWeights.js';

/**
 * face-api's SSD MobileNetV1 face detector (`ssd_mobilenetv1_model`, weights from the npm package
 * `@vladmandic/face-api@1.7.15`, MIT) rebuilt as an ONNX graph from its TF.js weights.
 *
 * The network: a MobileNetV1 backbone (a 3x3 stride-2 convolution, then 13 depthwise + pointwise
 * pairs; the depthwise convolutions carry a batch norm, the pointwise ones have it folded into a
 * bias; every layer ends in ReLU6), eight extra convolutions that shrink the 16x16 map to 1x1,
 * and six SSD box predictors on maps of 32, 16, 8, 4, 2 and 1 cells with 3, 6, 6, 6, 6, 6 anchors
 * each: 5118 anchors. Each anchor has 3 class logits (the second one is "face") and 4 box
 * encodings (ty, tx, th, tw, TF object-detection scales 10, 10, 5, 5) relative to the anchors
 * stored in the weights (`Output/extra_dim`, [ymin, xmin, ymax, xmax]).
 *
 * What the graph does beyond the network: the input normalisation (x / 127.5 - 1), the face
 * sigmoid, and the box decoding against the anchors (a handful of element-wise ops on 5118 x 4
 * values). Non-maximum suppression stays outside (see src/faces/ssdFaceDecoder.ts).
 */
export const FACE_SSD_MOBILENETV1 = {
  /** The square input side in pixels. */
  inputSize: 512,
  /** Anchors per image: 32*32*3 + (16*16 + 8*8 + 4*4 + 2*2 + 1*1) * 6. */
  anchors: 5118,
  input: {
    name: 'input',
    /**
     * float32 NCHW [batch, 3, 512, 512], RGB 0..255. face-api's own geometry: the image padded
     * with zeros at the bottom or right to a square, then resized to 512x512.
     */
    shape: ['batch', 3, 512, 512] as const,
  },
  outputs: {
    /** float32 [batch, 5118]: sigmoid face probability per anchor. */
    scores: 'scores',
    /**
     * float32 [batch, 5118, 4]: decoded boxes per anchor as [ymin, xmin, ymax, xmax],
     * normalised to the 512x512 input ([0, 1], not clipped: may lie slightly outside).
     */
    boxes: 'boxes',
  },
} as const;

/** TF's batch-norm epsilon as stored in the frozen graph face-api's weights come from. */
const BATCH_NORM_EPSILON = 0.0010000000474974513;

/** Backbone depthwise layers (1-based pair index) that have stride 2. */
const STRIDE_TWO_PAIRS = new Set([2, 4, 6, 12]);

/** Channels out of the 13 depthwise + pointwise pairs of the backbone. */
const PAIR_CHANNELS = [64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024];

/** The extra feature layers: [kernel, in, out, stride]. */
const EXTRA_LAYERS: readonly (readonly [number, number, number, number])[] = [
  [1, 1024, 256, 1],
  [3, 256, 512, 2],
  [1, 512, 128, 1],
  [3, 128, 256, 2],
  [1, 256, 128, 1],
  [3, 128, 256, 2],
  [1, 256, 64, 1],
  [3, 64, 128, 2],
];

/** Box predictors: channels in and anchors per cell, in output order. */
const PREDICTORS: readonly (readonly [number, number])[] = [
  [512, 3], // backbone pair 11, 32x32
  [1024, 6], // backbone output, 16x16
  [512, 6], // extra layer 1, 8x8
  [256, 6], // extra layer 3, 4x4
  [256, 6], // extra layer 5, 2x2
  [128, 6], // extra layer 7, 1x1
];

const CLASSES = 3;
const FACE_CLASS = 1;
/** TF object detection's box coder scales for (y, x) centres and (h, w) log sizes. */
const CENTER_SCALE = 10;
const SIZE_SCALE = 5;

/** Builds the detector as ONNX (opset 13) from face-api's `ssd_mobilenetv1_model` weights. */
export function buildFaceSsdMobilenetV1Onnx(weights: TfjsWeights): Uint8Array {
  const { anchors } = FACE_SSD_MOBILENETV1;
  const g = new TfjsGraph('face_api_ssd_mobilenetv1');
  const input = g.builder.addInput('input', OnnxDataType.float, [
    ...FACE_SSD_MOBILENETV1.input.shape,
  ]);

  // [0, 255] -> [-1, 1], in the same order of operations as the reference.
  let x = g.op('Div', [input, g.constant('input/scale', [], Float32Array.of(127.5))]);
  x = g.op('Sub', [x, g.constant('input/one', [], Float32Array.of(1))]);

  const relu6Min = g.constant('relu6/min', [], Float32Array.of(0));
  const relu6Max = g.constant('relu6/max', [], Float32Array.of(6));
  const relu6 = (v: string): string => g.op('Clip', [v, relu6Min, relu6Max]);

  /** A convolution whose batch norm was folded into a bias ("convolution_bn_offset"), then ReLU6. */
  const pointwise = (
    v: string,
    prefix: string,
    kernel: number,
    cin: number,
    cout: number,
    strides: number,
  ): string => {
    const filter = weights.get(`${prefix}/weights`, [kernel, kernel, cin, cout]);
    const bias = weights.get(`${prefix}/convolution_bn_offset`, [cout]);
    return relu6(g.conv(v, filter, { strides, padding: 'same', bias }));
  };

  x = pointwise(x, 'MobilenetV1/Conv2d_0_pointwise', 3, 3, 32, 2);
  let channels = 32;
  let conv11: string | undefined;
  PAIR_CHANNELS.forEach((cout, i) => {
    const pair = i + 1;
    x = relu6(
      depthwiseBatchNorm(
        g,
        weights,
        x,
        `MobilenetV1/Conv2d_${pair}_depthwise`,
        channels,
        STRIDE_TWO_PAIRS.has(pair) ? 2 : 1,
      ),
    );
    x = pointwise(x, `MobilenetV1/Conv2d_${pair}_pointwise`, 1, channels, cout, 1);
    channels = cout;
    if (pair === 11) conv11 = x;
  });
  if (conv11 === undefined) throw new Error('unreachable: backbone pair 11 missing');

  const extras: string[] = [];
  let y = x;
  EXTRA_LAYERS.forEach(([kernel, cin, cout, strides], i) => {
    y = pointwise(y, `Prediction/Conv2d_${i}_pointwise`, kernel, cin, cout, strides);
    extras.push(y);
  });
  const sources = [conv11, x, extras[1]!, extras[3]!, extras[5]!, extras[7]!];

  // Each predictor: 1x1 convolutions giving anchors*4 encodings and anchors*3 logits per cell.
  // TF lays them out per cell, then per anchor: NCHW -> NHWC -> [batch, cells*anchors, k].
  const encodings: string[] = [];
  const logits: string[] = [];
  const perAnchor = (v: string, k: number): string =>
    g.op('Reshape', [
      g.op('Transpose', [v], { perm: attr.ints([0, 2, 3, 1]) }),
      g.int64s('shape', [0, -1, k]),
    ]);
  PREDICTORS.forEach(([cin, n], i) => {
    const prefix = `Prediction/BoxPredictor_${i}`;
    const box = g.conv(
      sources[i]!,
      weights.get(`${prefix}/BoxEncodingPredictor/weights`, [1, 1, cin, n * 4]),
      {
        bias: weights.get(`${prefix}/BoxEncodingPredictor/biases`, [n * 4]),
      },
    );
    const cls = g.conv(
      sources[i]!,
      weights.get(`${prefix}/ClassPredictor/weights`, [1, 1, cin, n * CLASSES]),
      {
        bias: weights.get(`${prefix}/ClassPredictor/biases`, [n * CLASSES]),
      },
    );
    encodings.push(perAnchor(box, 4));
    logits.push(perAnchor(cls, CLASSES));
  });
  const encoding = g.op('Concat', encodings, { axis: attr.int(1) }); // [batch, 5118, 4]
  const logit = g.op('Concat', logits, { axis: attr.int(1) }); // [batch, 5118, 3]

  // Face probability: sigmoid of the face logit.
  const faceLogit = g.op('Gather', [logit, g.int64s('face_class', [FACE_CLASS])], {
    axis: attr.int(2),
  });
  const flat = g.op('Reshape', [faceLogit, g.int64s('scores_shape', [0, -1])]);
  g.builder.addNode('Sigmoid', [flat], [FACE_SSD_MOBILENETV1.outputs.scores]);

  // Box decoding: centre = t_c / 10 * anchor size + anchor centre; half size =
  // exp(t_s / 5) * anchor size / 2; corners = centre -/+ half size, all in (y, x) order.
  const anchorBoxes = weights.get('Output/extra_dim', [1, anchors, 4]).data;
  const centreScale = new Float32Array(anchors * 2);
  const centreOffset = new Float32Array(anchors * 2);
  const halfSize = new Float32Array(anchors * 2);
  for (let a = 0; a < anchors; a++) {
    for (let k = 0; k < 2; k++) {
      const lo = anchorBoxes[4 * a + k]!;
      const hi = anchorBoxes[4 * a + k + 2]!;
      const size = hi - lo;
      centreScale[2 * a + k] = size / CENTER_SCALE;
      centreOffset[2 * a + k] = lo + size / 2;
      halfSize[2 * a + k] = size / 2;
    }
  }
  const split = g.int64s('split', [2, 2]);
  const centreT = g.name('centre_t');
  const sizeT = g.name('size_t');
  g.builder.addNode('Split', [encoding, split], [centreT, sizeT], { axis: attr.int(2) });
  const centre = g.op('Add', [
    g.op('Mul', [centreT, g.constant('anchors/centre_scale', [anchors, 2], centreScale)]),
    g.constant('anchors/centre', [anchors, 2], centreOffset),
  ]);
  const half = g.op('Mul', [
    g.op('Exp', [g.op('Div', [sizeT, g.constant('size_scale', [], Float32Array.of(SIZE_SCALE))])]),
    g.constant('anchors/half_size', [anchors, 2], halfSize),
  ]);
  g.builder.addNode(
    'Concat',
    [g.op('Sub', [centre, half]), g.op('Add', [centre, half])],
    [FACE_SSD_MOBILENETV1.outputs.boxes],
    {
      axis: attr.int(2),
    },
  );

  g.builder.addOutput(FACE_SSD_MOBILENETV1.outputs.scores, OnnxDataType.float, ['batch', anchors]);
  g.builder.addOutput(FACE_SSD_MOBILENETV1.outputs.boxes, OnnxDataType.float, [
    'batch',
    anchors,
    4,
  ]);
  return g.builder.toBytes({
    opset: 13,
    docString:
      'SSD MobileNetV1 face detector of face-api (@vladmandic/face-api 1.7.15, MIT, ssd_mobilenetv1_model ' +
      'weights), rebuilt from its TF.js weights by mobilenet-ros. Input: float32 [batch,3,512,512] RGB 0..255 ' +
      '(image padded to a square at the bottom/right with zeros, resized to 512). Outputs: scores [batch,5118] ' +
      'face probability per anchor; boxes [batch,5118,4] decoded [ymin,xmin,ymax,xmax] normalised to the ' +
      'input. No NMS.',
  });
}

/**
 * A depthwise 3x3 convolution followed by its batch norm, folded: the per-channel scale
 * gamma / sqrt(variance + eps) goes into the filter, beta - mean * scale becomes the bias.
 */
function depthwiseBatchNorm(
  g: TfjsGraph,
  weights: TfjsWeights,
  x: string,
  prefix: string,
  channels: number,
  strides: number,
): string {
  const filter = weights.get(`${prefix}/depthwise_weights`, [3, 3, channels, 1]);
  const gamma = weights.get(`${prefix}/BatchNorm/gamma`, [channels]).data;
  const beta = weights.get(`${prefix}/BatchNorm/beta`, [channels]).data;
  const mean = weights.get(`${prefix}/BatchNorm/moving_mean`, [channels]).data;
  const variance = weights.get(`${prefix}/BatchNorm/moving_variance`, [channels]).data;
  const scale = new Float32Array(channels);
  const offset = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = gamma[c]! / Math.sqrt(variance[c]! + BATCH_NORM_EPSILON);
    offset[c] = beta[c]! - mean[c]! * scale[c]!;
  }
  // Filter [3, 3, channels, 1]: the channel index is the fastest-varying one.
  const scaled = new Float32Array(filter.data.length);
  for (let i = 0; i < scaled.length; i++) scaled[i] = filter.data[i]! * scale[i % channels]!;
  const folded: TfjsTensor = { name: filter.name, shape: filter.shape, data: scaled };
  const bias: TfjsTensor = {
    name: `${prefix}/BatchNorm/folded_offset`,
    shape: [channels],
    data: offset,
  };
  return g.depthwise(x, folded, { strides, padding: 'same', bias });
}
