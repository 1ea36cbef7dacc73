import { attr, OnnxDataType } from '../onnx/onnxGraphBuilder.js';
import { TfjsGraph } from './tfjsGraph.js';
import type { TfjsWeights } from './tfjsWeights.js';

/**
 * face-api's age and gender network (`age_gender_model`, @vladmandic/face-api 1.7.15, MIT)
 * rebuilt as an ONNX graph from its TF.js weights.
 *
 * The backbone is a small Xception: a strided 3x3 conv, two residual reduction blocks, two
 * residual middle blocks of three separable convs each, one more reduction block and a final
 * separable conv to 512 channels on a 7x7 grid. A 7x7 average pool gives a 512-vector that feeds
 * two fully connected heads: age in years (a plain regression) and two gender logits, turned
 * into probabilities here with a softmax.
 *
 * The crop face-api feeds it: the face's box (the detector's box, or when 68 landmarks were
 * computed, the landmarks' bounding box grown by 10% of its width and height on each side),
 * clipped to the image, then padded with black (zeros) on both sides of its shorter dimension
 * to a centred square, and resized bilinearly to 112x112 (TF.js resizeBilinear without half
 * pixel centres). No rotation. A caller can cut the same square with a centred 'fit' mapping
 * of the box onto 112x112 with a black border.
 */
export const FACE_API_AGE_GENDER = {
  /** Input side in pixels (square). */
  inputSize: 112,
  /** Mean RGB subtracted before dividing by 255 (inside the graph). */
  meanRgb: [122.782, 117.001, 104.298] as const,
  /** Order of the columns of output `gender` (face-api reads column 0 as the male probability). */
  genderLabels: ['male', 'female'] as const,
  inputName: 'input',
  /** [batch, 1]: estimated age in years. */
  ageOutput: 'age',
  /** [batch, 2]: softmax probabilities in the order of `genderLabels`. */
  genderOutput: 'gender',
} as const;

/** Channel counts of the blocks, fixed by the manifest's shapes. */
const MIDDLE_BLOCKS = 2;
const MIDDLE_CHANNELS = 128;

/** Builds the ONNX model; every tensor's shape is checked against the architecture. */
export function buildFaceAgeGenderOnnx(weights: TfjsWeights): Uint8Array {
  const g = new TfjsGraph('face_api_age_gender');
  const size = FACE_API_AGE_GENDER.inputSize;
  const input = g.builder.addInput(FACE_API_AGE_GENDER.inputName, OnnxDataType.float, [
    'batch',
    3,
    size,
    size,
  ]);
  if (weights.has(`middle_flow/main_block_${MIDDLE_BLOCKS}/separable_conv0/bias`)) {
    throw new RangeError(`age_gender: more than ${MIDDLE_BLOCKS} middle blocks in the manifest`);
  }

  // (rgb - mean) / 255, as the library normalises.
  const mean = Float32Array.from(FACE_API_AGE_GENDER.meanRgb);
  const centred = g.op('Sub', [input, g.constant('mean_rgb', [1, 3, 1, 1], mean)]);
  let x = g.op('Div', [centred, g.constant('pixel_range', [], Float32Array.of(255))]);

  x = g.relu(convWithBias(g, weights, x, 'entry_flow/conv_in', 3, 3, 32, 2));
  x = reduction(g, weights, x, 'entry_flow/reduction_block_0', 32, 64, false);
  x = reduction(g, weights, x, 'entry_flow/reduction_block_1', 64, MIDDLE_CHANNELS, true);
  for (let i = 0; i < MIDDLE_BLOCKS; i++) {
    const prefix = `middle_flow/main_block_${i}`;
    let y = x;
    for (let j = 0; j < 3; j++) {
      y = g.separable(
        g.relu(y),
        weights,
        `${prefix}/separable_conv${j}`,
        MIDDLE_CHANNELS,
        MIDDLE_CHANNELS,
      );
    }
    x = g.add(y, x);
  }
  x = reduction(g, weights, x, 'exit_flow/reduction_block', MIDDLE_CHANNELS, 256, true);
  x = g.relu(g.separable(x, weights, 'exit_flow/separable_conv', 256, 512));

  // The feature map is 7x7 here; a 7x7 window leaves one cell per channel.
  const pooled = g.avgPool(x, 7, 2, 'valid');
  const features = g.op('Flatten', [pooled], { axis: attr.int(1) });

  const ageW = weights.get('fc/age/weights', [512, 1]);
  const ageB = weights.get('fc/age/bias', [1]);
  g.builder.addNode(
    'Gemm',
    [features, g.constant(ageW.name, [512, 1], ageW.data), g.constant(ageB.name, [1], ageB.data)],
    [FACE_API_AGE_GENDER.ageOutput],
  );
  const genderLogits = g.dense(
    features,
    weights.get('fc/gender/weights', [512, 2]),
    weights.get('fc/gender/bias', [2]),
  );
  g.builder.addNode('Softmax', [genderLogits], [FACE_API_AGE_GENDER.genderOutput], {
    axis: attr.int(1),
  });

  g.builder.addOutput(FACE_API_AGE_GENDER.ageOutput, OnnxDataType.float, ['batch', 1]);
  g.builder.addOutput(FACE_API_AGE_GENDER.genderOutput, OnnxDataType.float, ['batch', 2]);
  return g.builder.toBytes({
    opset: 13,
    docString:
      'face-api age and gender net (TinyXception, 2 middle blocks) rebuilt from the TF.js weights ' +
      'of @vladmandic/face-api 1.7.15 (MIT, model/age_gender_model). Input: RGB 0..255, ' +
      'NCHW [batch,3,112,112], a face box padded with black to a centred square. Outputs: ' +
      "age [batch,1] in years; gender [batch,2] softmax probabilities ['male','female'].",
  });
}

/** A full conv with bias, 'same' padding. */
function convWithBias(
  g: TfjsGraph,
  weights: TfjsWeights,
  x: string,
  prefix: string,
  kernel: number,
  cin: number,
  cout: number,
  strides: number,
): string {
  return g.conv(x, weights.get(`${prefix}/filters`, [kernel, kernel, cin, cout]), {
    strides,
    padding: 'same',
    bias: weights.get(`${prefix}/bias`, [cout]),
  });
}

/**
 * Halves the grid: two separable convs (the first optionally on a rectified input) and a 3x3
 * stride-2 max pool, plus a shortcut from the block's unrectified input through a strided 1x1
 * conv.
 */
function reduction(
  g: TfjsGraph,
  weights: TfjsWeights,
  x: string,
  prefix: string,
  cin: number,
  cout: number,
  activateInput: boolean,
): string {
  let y = g.separable(
    activateInput ? g.relu(x) : x,
    weights,
    `${prefix}/separable_conv0`,
    cin,
    cout,
  );
  y = g.separable(g.relu(y), weights, `${prefix}/separable_conv1`, cout, cout);
  y = g.maxPool(y, 3, 2, 'same');
  const shortcut = convWithBias(g, weights, x, `${prefix}/expansion_conv`, 1, cin, cout, 2);
  return g.add(y, shortcut);
}
