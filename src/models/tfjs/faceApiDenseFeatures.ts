import { attr } from '../onnx/onnxGraphBuilder.js';
import type { TfjsGraph } from './tfjsGraph.js';
import type { TfjsWeights } from './tfjsWeights.js';

/**
 * The feature extractor that face-api's 68-point landmark net (`face_landmark_68_model`) and its
 * expression net (`face_expression_model`) are built on (@vladmandic/face-api 1.7.15, MIT),
 * written into a {@link TfjsGraph}. Both manifests name its tensors alike (`dense0/conv0/filters`,
 * `dense1/conv2/depthwise_filter`, ...) but hold different values: the two nets were trained
 * separately, so each model carries its own copy.
 *
 * Layout, for a 112x112 RGB face:
 * - normalisation: (rgb - mean RGB) / 255;
 * - four dense blocks of 32, 64, 128 and 256 channels, each halving the grid (112 -> 56 -> 28 ->
 *   14 -> 7). A block has four convolutions. The first is strided: a plain 3x3 conv in block 0, a
 *   depthwise separable conv (3x3 depthwise without bias, 1x1 pointwise with bias) in the others;
 *   it is followed by a ReLU. The other three are separable convs with stride 1 whose outputs are
 *   not rectified: each takes the ReLU of the sum of the block's earlier outputs, and the block
 *   returns the ReLU of the sum of all four;
 * - a 7x7 average pool (the whole grid) and a flatten to 256 features.
 * Every conv pads like TensorFlow's 'same'.
 */

/** Input side in pixels (square). */
export const FACE_API_DENSE_INPUT_SIZE = 112;

/** Mean RGB that face-api subtracts before dividing by 255. */
export const FACE_API_DENSE_MEAN_RGB = [122.782, 117.001, 104.298] as const;

/** Length of the feature vector the extractor ends with. */
export const FACE_API_DENSE_FEATURES = 256;

/** Output channels of dense0..dense3. */
const BLOCK_CHANNELS = [32, 64, 128, 256] as const;

/**
 * Adds the extractor to `graph`: `input` is float32 NCHW [batch, 3, 112, 112], RGB 0..255.
 * Returns the name of the [batch, 256] feature value. `prefix` is put in front of every tensor
 * name read from `weights` (face-api's manifests use none). Every tensor's shape is checked.
 */
export function addFaceApiDenseFeatures(
  graph: TfjsGraph,
  weights: TfjsWeights,
  input: string,
  prefix = '',
): string {
  const mean = Float32Array.from(FACE_API_DENSE_MEAN_RGB);
  const centred = graph.op('Sub', [input, graph.constant(`${prefix}mean_rgb`, [1, 3, 1, 1], mean)]);
  let x = graph.op('Div', [
    centred,
    graph.constant(`${prefix}pixel_range`, [], Float32Array.of(255)),
  ]);
  let channels = 3;
  BLOCK_CHANNELS.forEach((out, i) => {
    x = denseBlock(graph, weights, x, `${prefix}dense${i}`, channels, out, i === 0);
    channels = out;
  });
  // The grid is 7x7 here: a 7x7 'valid' pool leaves one value per channel.
  const pooled = graph.avgPool(x, 7, 2, 'valid');
  return graph.op('Flatten', [pooled], { axis: attr.int(1) });
}

/**
 * One dense block. face-api adds the partial sums as out1 + (out2 + out3) and
 * out1 + (out2 + (out3 + out4)); the same grouping is kept so float32 rounding matches.
 */
function denseBlock(
  g: TfjsGraph,
  w: TfjsWeights,
  x: string,
  name: string,
  cin: number,
  cout: number,
  first: boolean,
): string {
  const conv0 = first
    ? g.conv(x, w.get(`${name}/conv0/filters`, [3, 3, cin, cout]), {
        strides: 2,
        bias: w.get(`${name}/conv0/bias`, [cout]),
      })
    : g.separable(x, w, `${name}/conv0`, cin, cout, 2);
  const out1 = g.relu(conv0);
  const out2 = g.separable(out1, w, `${name}/conv1`, cout, cout, 1);
  const out3 = g.separable(g.relu(g.add(out1, out2)), w, `${name}/conv2`, cout, cout, 1);
  const in4 = g.relu(g.add(out1, g.add(out2, out3)));
  const out4 = g.separable(in4, w, `${name}/conv3`, cout, cout, 1);
  return g.relu(g.add(out1, g.add(out2, g.add(out3, out4))));
}
