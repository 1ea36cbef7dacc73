import onnxProto from 'onnx-proto';
import { ModelError } from '../../errors.js';

const { onnx } = onnxProto;

/** The smallest positive normal float32; anything closer to zero (but not zero) is denormal. */
const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

const FLOAT = 1;
const INT64 = 7;

/** What {@link rewriteOnnxForCpu} changed. */
export interface OnnxRewriteReport {
  /** The rewritten model. */
  readonly onnx: Uint8Array;
  /** float32 weights (initializers and Constant nodes) that were denormal and are now 0. */
  readonly flushedDenormals: number;
  /** Initializers that were also listed as graph inputs and no longer are. */
  readonly initializerInputsRemoved: number;
  /** Initializers that no node used, removed. */
  readonly unusedInitializersRemoved: number;
  /** Whether the batch dimension was made symbolic ('batch'). */
  readonly dynamicBatch: boolean;
}

/**
 * Rewrites an ONNX model for fast CPU inference without changing what it computes:
 *
 * - Denormal float32 weights are set to 0. Several of the face models (exported from PyTorch)
 *   hold thousands of weights below 1.2e-38; x86 CPUs handle arithmetic on them in microcode,
 *   which made MobileFaceNet about 3x and SSR-Net gender about 20x slower. Their contribution
 *   to any output is below float32 resolution (the tests compare outputs before and after).
 * - Initializers that old exporters also listed as graph inputs are removed from the inputs,
 *   so that ONNX Runtime may treat them as constants (and stops warning about each one), and
 *   initializers no node reads are dropped.
 * - The first dimension of every graph input and output that is 1 becomes the symbolic
 *   'batch', and Reshape targets `[1, -1]` become `[0, -1]` (0 keeps the input's batch), so
 *   several faces run in one call. Only Reshape shapes of exactly `[1, -1]` are changed.
 *
 * `options.flushDenormals` (default true) exists so that tests can isolate the effect of the flush.
 *
 * @throws ModelError (MODEL_CORRUPT) naming `label` when the bytes are not an ONNX model.
 */
export function rewriteOnnxForCpu(
  bytes: Uint8Array,
  label: string,
  options: { readonly flushDenormals?: boolean } = {},
): OnnxRewriteReport {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `${label}: not an ONNX model (${(error as Error).message})`,
      { cause: error },
    );
  }
  const graph = model.graph;
  if (graph === null || graph === undefined) {
    throw new ModelError('MODEL_CORRUPT', `${label}: the ONNX model has no graph`);
  }

  const initializers = graph.initializer ?? [];
  const nodes = graph.node ?? [];
  let flushedDenormals = 0;
  const tensors: onnxProto.onnx.ITensorProto[] = [...initializers];
  for (const node of nodes) {
    if (node.opType !== 'Constant') continue;
    for (const attribute of node.attribute ?? []) if (attribute.t) tensors.push(attribute.t);
  }
  if (options.flushDenormals ?? true) {
    for (const tensor of tensors) {
      if (tensor.dataType === FLOAT) flushedDenormals += flushTensor(tensor);
    }
  }

  // Initializers no node reads (e.g. BatchNorm's num_batches_tracked): ONNX Runtime drops them
  // with a warning on every load; drop them here once.
  const used = new Set(nodes.flatMap((n) => n.input ?? []));
  const unused = initializers.filter((t) => !used.has(t.name ?? ''));
  graph.initializer = initializers.filter((t) => used.has(t.name ?? ''));
  const initializerNames = new Set(initializers.map((t) => t.name));
  const inputs = graph.input ?? [];
  graph.input = inputs.filter((input) => !initializerNames.has(input.name));
  const initializerInputsRemoved = inputs.length - graph.input.length;

  let dynamicBatch = false;
  for (const value of [...graph.input, ...(graph.output ?? [])]) {
    const dims = value.type?.tensorType?.shape?.dim;
    const first = dims?.[0];
    if (dims && first !== undefined && Number(first.dimValue) === 1) {
      dims[0] = onnx.TensorShapeProto.Dimension.create({ dimParam: 'batch' });
      dynamicBatch = true;
    }
  }
  if (dynamicBatch) {
    const reshapeShapes = new Set(
      nodes.filter((n) => n.opType === 'Reshape').map((n) => n.input?.[1]),
    );
    for (const tensor of initializers) {
      if (reshapeShapes.has(tensor.name ?? undefined) && tensor.dataType === INT64)
        keepBatchInReshape(tensor);
    }
  }
  return {
    onnx: onnx.ModelProto.encode(model).finish(),
    flushedDenormals,
    initializerInputsRemoved,
    unusedInitializersRemoved: unused.length,
    dynamicBatch,
  };
}

/** Sets the denormal values of a float tensor to 0 in place; returns how many there were. */
function flushTensor(tensor: onnxProto.onnx.ITensorProto): number {
  let count = 0;
  if (tensor.rawData !== null && tensor.rawData !== undefined && tensor.rawData.byteLength > 0) {
    // Copy: rawData may be an unaligned view into the decoded buffer.
    const values = new Float32Array(new Uint8Array(tensor.rawData).buffer);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v !== 0 && Math.abs(v) < FLOAT32_MIN_NORMAL) {
        values[i] = 0;
        count++;
      }
    }
    if (count > 0) tensor.rawData = new Uint8Array(values.buffer);
    return count;
  }
  const data = tensor.floatData;
  if (data === null || data === undefined) return 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v !== 0 && Math.abs(v) < FLOAT32_MIN_NORMAL) {
      data[i] = 0;
      count++;
    }
  }
  return count;
}

/** `[1, -1]` -> `[0, -1]` in an int64 Reshape shape. */
function keepBatchInReshape(tensor: onnxProto.onnx.ITensorProto): void {
  if (tensor.rawData === null || tensor.rawData === undefined || tensor.rawData.byteLength !== 16)
    return;
  const shape = new BigInt64Array(new Uint8Array(tensor.rawData).buffer);
  if (shape[0] === 1n && shape[1] === -1n) {
    shape[0] = 0n;
    tensor.rawData = new Uint8Array(shape.buffer);
  }
}
