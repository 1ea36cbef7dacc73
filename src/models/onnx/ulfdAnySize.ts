import onnxProto from 'onnx-proto';
import { ModelError } from '../../errors.js';
import { OnnxDataType } from './onnxGraphBuilder.js';

const { onnx } = onnxProto;

/**
 * ULFD RFB-320 for any input size. The exported graph is fully convolutional up to its two
 * concatenated heads (its Reshapes take the batch from the tensor and -1 for the rest); only
 * the last part, which decodes the box offsets against 4420 priors baked in for 320x240, ties it
 * to one size. This cuts that part off: the outputs become `scores` (the softmax over background
 * and face, unchanged) and `locations` (the raw offsets [batch, priors, 4]: cx, cy, w, h against
 * each prior, in the model's variances), and the input's height and width become symbolic. The
 * priors are then generated for the size at hand (src/faces/ulfdPriors.ts).
 *
 * The input becomes the packed RGB bytes OpenCV gives (uint8 [batch, height, width, 3]): the
 * layout change and the model's normalisation, (x - 127) / 128, run in the graph (Cast,
 * Transpose, Sub, Div; exact in float32, so the convolutions see the numbers a planar float
 * input had). Measured per 320x240 region: 0.6 ms of JavaScript per run saved, against 0.02-0.06
 * ms of these nodes.
 *
 * Takes the model as rewriteOnnxForCpu wrote it. Refuses, naming what it did not find, a graph
 * of another shape.
 */
export function ulfdAnySize(bytes: Uint8Array, label: string): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) throw new ModelError('MODEL_CORRUPT', `${label}: the ONNX model has no graph`);
  const nodes = graph.node ?? [];
  const softmax = nodes.find((n) => n.opType === 'Softmax' && n.output?.[0] === 'scores');
  const confidences = softmax?.input?.[0];
  // The two head concats: four Reshape outputs each; the one that is not the softmax's input
  // holds the box offsets.
  const producer = new Map(nodes.flatMap((n) => (n.output ?? []).map((o) => [o, n] as const)));
  const heads = nodes.filter(
    (n) =>
      n.opType === 'Concat' &&
      (n.input ?? []).length === 4 &&
      (n.input ?? []).every((i) => producer.get(i)?.opType === 'Reshape'),
  );
  const locations = heads.find((n) => n.output?.[0] !== confidences)?.output?.[0];
  if (softmax === undefined || confidences === undefined || heads.length !== 2 || !locations) {
    throw new ModelError(
      'MODEL_UNSUPPORTED',
      `${label}: not the ULFD graph this cut expects (a Softmax 'scores' over one of two four-way head concats)`,
    );
  }
  // Keep what the two outputs need, in the original order.
  const needed = new Set<string>(['scores', locations]);
  const kept: onnxProto.onnx.INodeProto[] = [];
  for (const node of [...nodes].reverse()) {
    if ((node.output ?? []).some((o) => needed.has(o))) {
      kept.push(node);
      for (const i of node.input ?? []) if (i !== '') needed.add(i);
    }
  }
  kept.reverse();
  kept.push({
    opType: 'Identity',
    name: 'locations_out',
    input: [locations],
    output: ['locations'],
  });
  graph.node = kept;
  graph.initializer = (graph.initializer ?? []).filter((t) => needed.has(t.name ?? ''));
  const dim = (param: string): onnxProto.onnx.TensorShapeProto.IDimension => ({ dimParam: param });
  const input = graph.input?.[0];
  const inputDims = input?.type?.tensorType?.shape?.dim;
  if (
    !input?.name ||
    !inputDims ||
    inputDims.length !== 4 ||
    Number(inputDims[1]?.dimValue) !== 3
  ) {
    throw new ModelError('MODEL_UNSUPPORTED', `${label}: expected one NCHW input of 3 channels`);
  }
  const normalized = `${input.name}_normalized`;
  for (const node of kept) {
    node.input = (node.input ?? []).map((i) => (i === input.name ? normalized : i));
  }
  kept.unshift(...bytesToPlanar(input.name, normalized));
  graph.initializer.push(scalar(`${input.name}_mean`, 127), scalar(`${input.name}_std`, 128));
  input.type = {
    tensorType: {
      elemType: OnnxDataType.uint8,
      shape: { dim: [inputDims[0]!, dim('height'), dim('width'), { dimValue: 3 }] },
    },
  };
  graph.output = ['scores', 'locations'].map((name, i) => ({
    name,
    type: {
      tensorType: {
        elemType: 1,
        shape: { dim: [dim('batch'), dim('priors'), { dimValue: i === 0 ? 2 : 4 }] },
      },
    },
  }));
  graph.valueInfo = [];
  return onnx.ModelProto.encode(model).finish();
}

/** Packed HWC bytes `from` to the planar (x - 127) / 128 floats `to`: Cast, Transpose, Sub, Div. */
function bytesToPlanar(from: string, to: string): onnxProto.onnx.INodeProto[] {
  const node = (
    opType: string,
    input: string[],
    output: string,
    attribute: onnxProto.onnx.IAttributeProto[] = [],
  ): onnxProto.onnx.INodeProto => ({ opType, name: output, input, output: [output], attribute });
  return [
    node('Cast', [from], `${from}_float`, [
      { name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: OnnxDataType.float },
    ]),
    node('Transpose', [`${from}_float`], `${from}_planar`, [
      { name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 3, 1, 2] },
    ]),
    node('Sub', [`${from}_planar`, `${from}_mean`], `${from}_centred`),
    node('Div', [`${from}_centred`, `${from}_std`], to),
  ];
}

function scalar(name: string, value: number): onnxProto.onnx.ITensorProto {
  return { name, dataType: OnnxDataType.float, dims: [], floatData: [value] };
}
