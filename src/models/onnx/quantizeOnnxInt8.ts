import onnxProto from 'onnx-proto';
import { ModelError } from '../../errors.js';
import { uint8Quantization, type CalibrationTable } from './calibrationTable.js';
import { OnnxDataType } from './onnxGraphBuilder.js';

const { onnx } = onnxProto;

/** Operators {@link quantizeOnnxInt8} knows; any other is refused by name. */
const SUPPORTED = new Set(['Conv', 'PRelu', 'Add', 'Relu', 'Reshape']);

/** What {@link quantizeOnnxInt8} wrote. */
export interface Int8QuantizationReport {
  readonly onnx: Uint8Array;
  /** Conv nodes with int8 weights. */
  readonly convs: number;
  /** Activation tensors with a QuantizeLinear -> DequantizeLinear pair. */
  readonly activations: number;
  /** PRelu nodes written as s*x + (1-s)*relu(x). */
  readonly prelus: number;
}

/**
 * Static int8 quantization of a float ONNX CNN into the QDQ form that ONNX Runtime fuses into
 * integer kernels (QLinearConv, QLinearAdd), from a committed {@link CalibrationTable}:
 *
 * - Conv weights: int8, symmetric, one scale per output channel; biases int32 with scale
 *   input scale x weight scale (what ONNX Runtime requires to fuse the Conv).
 * - Activations (the graph input and every node output but the graph outputs and Reshape's):
 *   uint8, one scale and zero point per tensor from the calibrated range.
 * - PRelu: ONNX Runtime's CPU kernel broadcasts its per-channel slope element by element (7 of
 *   20 ms of MobileFaceNet on one thread, measured); it is rewritten as the same function
 *   s*x + (1-s)*relu(x), which runs as vectorised Mul/Relu/Add between the quantized convs.
 *
 * Opset becomes 13 (per-axis QuantizeLinear/DequantizeLinear). Anything else in the graph is
 * refused (MODEL_UNSUPPORTED, naming the op and node), as is a table measured on another model.
 */
export function quantizeOnnxInt8(
  floatModel: Uint8Array,
  floatSha256: string,
  table: CalibrationTable,
  label: string,
): Int8QuantizationReport {
  if (table.floatSha256 !== floatSha256) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `${label}: the calibration table was measured on the float model ${table.floatSha256.slice(0, 12)}…, ` +
        `this one is ${floatSha256.slice(0, 12)}…; measure it again (see models/NOTICE.md)`,
    );
  }
  const model = onnx.ModelProto.decode(floatModel);
  const graph = model.graph;
  if (!graph) throw new ModelError('MODEL_CORRUPT', `${label}: the ONNX model has no graph`);
  for (const node of graph.node ?? []) {
    if (!SUPPORTED.has(node.opType ?? '') || (node.domain ?? '') !== '') {
      throw new ModelError(
        'MODEL_UNSUPPORTED',
        `${label}: cannot quantize ${node.opType ?? '?'} node '${node.name ?? node.output?.[0] ?? '?'}' (supported: ${[...SUPPORTED].join(', ')})`,
      );
    }
  }
  model.opsetImport = [onnx.OperatorSetIdProto.create({ domain: '', version: 13 })];

  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  const added: onnxProto.onnx.ITensorProto[] = [];
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const scales = new Map<string, number>();
  const renamed = new Map<string, string>();
  let convs = 0;
  let prelus = 0;

  const rangeOf = (tensor: string): readonly [number, number] => {
    const range = table.ranges[tensor];
    if (range === undefined)
      throw new ModelError(
        'MODEL_CORRUPT',
        `${label}: the calibration table has no range for tensor '${tensor}'`,
      );
    return range;
  };
  const addNode = (opType: string, input: string[], output: string, axis?: number): void => {
    nodes.push(
      onnx.NodeProto.create({
        opType,
        input,
        output: [output],
        name: `${output}_${opType}`,
        ...(axis === undefined
          ? {}
          : {
              attribute: [
                onnx.AttributeProto.create({
                  name: 'axis',
                  type: onnx.AttributeProto.AttributeType.INT,
                  i: axis,
                }),
              ],
            }),
      }),
    );
  };
  /** Inserts QuantizeLinear -> DequantizeLinear after `tensor`; consumers read the result. */
  const quantizeActivation = (tensor: string): void => {
    const [low, high] = rangeOf(tensor);
    const { scale, zeroPoint } = uint8Quantization(low, high);
    scales.set(tensor, scale);
    added.push(
      constant(`${tensor}_scale`, OnnxDataType.float, [], new Float32Array([scale])),
      constant(`${tensor}_zero_point`, OnnxDataType.uint8, [], new Uint8Array([zeroPoint])),
    );
    addNode(
      'QuantizeLinear',
      [tensor, `${tensor}_scale`, `${tensor}_zero_point`],
      `${tensor}_quantized`,
    );
    addNode(
      'DequantizeLinear',
      [`${tensor}_quantized`, `${tensor}_scale`, `${tensor}_zero_point`],
      `${tensor}_dequantized`,
    );
    renamed.set(tensor, `${tensor}_dequantized`);
  };

  for (const input of graph.input ?? []) quantizeActivation(input.name ?? '');
  for (const node of graph.node ?? []) {
    const inputs = (node.input ?? []).map((name) => renamed.get(name) ?? name);
    if (node.opType === 'Conv') {
      convs++;
      const activation = node.input?.[0] ?? '';
      const inputScale = scales.get(activation);
      if (inputScale === undefined)
        throw new ModelError(
          'MODEL_UNSUPPORTED',
          `${label}: Conv input '${activation}' is not quantized`,
        );
      const weights = floatInitializer(initializers, node.input?.[1], label);
      const q = quantizeWeights(weights.values, Number(weights.tensor.dims?.[0]));
      const name = weights.tensor.name ?? '';
      added.push(
        constant(
          `${name}_int8`,
          OnnxDataType.int8,
          (weights.tensor.dims ?? []).map(Number),
          q.values,
        ),
        constant(`${name}_scale`, OnnxDataType.float, [q.scales.length], q.scales),
        constant(
          `${name}_zero_point`,
          OnnxDataType.int8,
          [q.scales.length],
          new Int8Array(q.scales.length),
        ),
      );
      addNode(
        'DequantizeLinear',
        [`${name}_int8`, `${name}_scale`, `${name}_zero_point`],
        `${name}_dequantized`,
        0,
      );
      inputs[1] = `${name}_dequantized`;
      if (node.input?.[2]) {
        const bias = floatInitializer(initializers, node.input[2], label);
        const biasName = bias.tensor.name ?? '';
        const biasScales = q.scales.map((s) => s * inputScale);
        const biasValues = Int32Array.from(bias.values, (b, c) => Math.round(b / biasScales[c]!));
        added.push(
          constant(`${biasName}_int32`, OnnxDataType.int32, [biasValues.length], biasValues),
          constant(`${biasName}_scale`, OnnxDataType.float, [biasScales.length], biasScales),
          constant(
            `${biasName}_zero_point`,
            OnnxDataType.int32,
            [biasScales.length],
            new Int32Array(biasScales.length),
          ),
        );
        addNode(
          'DequantizeLinear',
          [`${biasName}_int32`, `${biasName}_scale`, `${biasName}_zero_point`],
          `${biasName}_dequantized`,
          0,
        );
        inputs[2] = `${biasName}_dequantized`;
      }
      nodes.push(onnx.NodeProto.create({ ...node, input: inputs }));
    } else if (node.opType === 'PRelu') {
      prelus++;
      const slope = floatInitializer(initializers, node.input?.[1], label);
      const out = node.output?.[0] ?? '';
      const [x] = inputs;
      const dims = (slope.tensor.dims ?? []).map(Number);
      added.push(
        constant(`${out}_slope`, OnnxDataType.float, dims, slope.values),
        constant(
          `${out}_one_minus_slope`,
          OnnxDataType.float,
          dims,
          slope.values.map((s) => 1 - s),
        ),
      );
      addNode('Mul', [x!, `${out}_slope`], `${out}_linear`);
      addNode('Relu', [x!], `${out}_positive`);
      addNode('Mul', [`${out}_positive`, `${out}_one_minus_slope`], `${out}_rectified`);
      addNode('Add', [`${out}_linear`, `${out}_rectified`], out);
    } else {
      nodes.push(onnx.NodeProto.create({ ...node, input: inputs }));
    }
    if (node.opType === 'Reshape') continue;
    for (const output of node.output ?? [])
      if (!graphOutputs.has(output)) quantizeActivation(output);
  }

  graph.node = nodes;
  const read = new Set(nodes.flatMap((n) => n.input ?? []));
  graph.initializer = [...(graph.initializer ?? []), ...added].filter((t) =>
    read.has(t.name ?? ''),
  );
  return { onnx: onnx.ModelProto.encode(model).finish(), convs, activations: scales.size, prelus };
}

/**
 * The largest weight magnitude: 7 bits, not 8. On x86 CPUs without VNNI (AVX2 only, e.g. AMD
 * Zen 2/3, Intel before Ice Lake) ONNX Runtime multiplies uint8 activations by int8 weights with
 * vpmaddubsw, which adds two products into an int16 and saturates when both are large (2 x 255
 * x 127 > 32767): measured on an AMD EPYC, a 3-layer test model was off by 4 quantization steps
 * with 8-bit weights and within 1 with 7-bit ones. ONNX Runtime's own quantizer offers the same
 * remedy (reduce_range). One form for every machine keeps the prepared model's sha256 pinnable.
 */
export const WEIGHT_QMAX = 63;

/** int8 weights in [-WEIGHT_QMAX, WEIGHT_QMAX], symmetric, one scale per output channel (the first dimension). */
export function quantizeWeights(
  values: Float32Array,
  channels: number,
): { values: Int8Array; scales: Float32Array } {
  const per = values.length / channels;
  const scales = new Float32Array(channels);
  const quantized = new Int8Array(values.length);
  for (let c = 0; c < channels; c++) {
    let max = 0;
    for (let i = c * per; i < (c + 1) * per; i++) max = Math.max(max, Math.abs(values[i]!));
    const scale = Math.fround(Math.max(max, 1e-12) / WEIGHT_QMAX);
    scales[c] = scale;
    for (let i = c * per; i < (c + 1) * per; i++)
      quantized[i] = Math.max(-WEIGHT_QMAX, Math.min(WEIGHT_QMAX, Math.round(values[i]! / scale)));
  }
  return { values: quantized, scales };
}

function floatInitializer(
  initializers: Map<string, onnxProto.onnx.ITensorProto>,
  name: string | undefined,
  label: string,
): { tensor: onnxProto.onnx.ITensorProto; values: Float32Array } {
  const tensor = initializers.get(name ?? '');
  if (tensor === undefined || tensor.dataType !== OnnxDataType.float) {
    throw new ModelError(
      'MODEL_UNSUPPORTED',
      `${label}: '${name ?? '?'}' must be a float32 initializer to be quantized`,
    );
  }
  const raw = tensor.rawData;
  const values =
    raw !== null && raw !== undefined && raw.byteLength > 0
      ? new Float32Array(new Uint8Array(raw).buffer)
      : Float32Array.from(tensor.floatData ?? []);
  return { tensor, values };
}

function constant(
  name: string,
  dataType: number,
  dims: number[],
  values: Float32Array | Uint8Array | Int8Array | Int32Array,
): onnxProto.onnx.ITensorProto {
  return onnx.TensorProto.create({
    name,
    dataType,
    dims,
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  });
}
