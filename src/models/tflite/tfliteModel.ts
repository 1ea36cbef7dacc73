import { ModelError } from '../../errors.js';
import { FlatbufferTable } from './flatbufferTable.js';

/**
 * A TFLite flatbuffer read into plain data: the tensors, operators and their options of the
 * first subgraph. Field ids follow tensorflow/lite/schema/schema.fbs (file identifier TFL3).
 */

/** TFLite TensorType values we can name; others are kept as `type<N>`. */
const TENSOR_TYPES: Record<number, string> = {
  0: 'float32',
  1: 'float16',
  2: 'int32',
  3: 'uint8',
  4: 'int64',
  5: 'string',
  6: 'bool',
  7: 'int16',
  9: 'int8',
};

/** BuiltinOperator codes with names, for the ops we convert and the common ones we refuse. */
const BUILTIN_OPS: Record<number, string> = {
  0: 'ADD',
  1: 'AVERAGE_POOL_2D',
  2: 'CONCATENATION',
  3: 'CONV_2D',
  4: 'DEPTHWISE_CONV_2D',
  6: 'DEQUANTIZE',
  9: 'FULLY_CONNECTED',
  14: 'LOGISTIC',
  17: 'MAX_POOL_2D',
  18: 'MUL',
  19: 'RELU',
  21: 'RELU6',
  22: 'RESHAPE',
  25: 'SOFTMAX',
  32: 'CUSTOM',
  34: 'PAD',
  40: 'MEAN',
  114: 'QUANTIZE',
  117: 'HARD_SWISH',
};

/** ActivationFunctionType */
export type FusedActivation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';
const ACTIVATIONS: FusedActivation[] = [
  'NONE',
  'RELU',
  'RELU_N1_TO_1',
  'RELU6',
  'TANH',
  'SIGN_BIT',
];

export interface TfliteQuantization {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
}

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  type: string;
  /** Constant data, when the tensor is a constant (a view into the model bytes). */
  data: Uint8Array | undefined;
  quantization: TfliteQuantization | undefined;
}

export interface ConvOptions {
  padding: 'SAME' | 'VALID';
  strideW: number;
  strideH: number;
  activation: FusedActivation;
  dilationW: number;
  dilationH: number;
  depthMultiplier: number;
}

export type TfliteOperator =
  | {
      kind: 'CONV_2D' | 'DEPTHWISE_CONV_2D';
      inputs: number[];
      outputs: number[];
      options: ConvOptions;
    }
  | { kind: 'ADD'; inputs: number[]; outputs: number[]; activation: FusedActivation }
  | {
      kind: 'CONCATENATION';
      inputs: number[];
      outputs: number[];
      axis: number;
      activation: FusedActivation;
    }
  | { kind: 'RESHAPE'; inputs: number[]; outputs: number[]; newShape: number[] | undefined }
  | { kind: 'LOGISTIC'; inputs: number[]; outputs: number[] }
  | {
      kind: 'CUSTOM';
      customCode: string;
      inputs: number[];
      outputs: number[];
      customOptions: Uint8Array | undefined;
    }
  | { kind: 'UNSUPPORTED'; name: string; inputs: number[]; outputs: number[] };

export interface TfliteModel {
  version: number;
  description: string | undefined;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
}

/** Parses a TFLite model. Throws ModelError (MODEL_CORRUPT) for bytes that are not one. */
export function parseTflite(bytes: Uint8Array, source = 'model'): TfliteModel {
  let model: FlatbufferTable;
  try {
    model = FlatbufferTable.root(bytes, 'TFL3');
  } catch (error) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `${source} is not a TFLite model: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const buffers = model.tables(4).map((buffer) => buffer.bytes(0));
  const opcodes = model.tables(1).map((code) => ({
    builtin: Math.max(code.int8(0), code.int32(3)),
    custom: code.string(1),
  }));
  const subgraphs = model.tables(2);
  const graph = subgraphs[0];
  if (graph === undefined) {
    throw new ModelError('MODEL_CORRUPT', `${source} has no subgraph`);
  }
  if (subgraphs.length > 1) {
    throw new ModelError(
      'MODEL_UNSUPPORTED',
      `${source} has ${subgraphs.length} subgraphs; only one is supported`,
    );
  }

  const tensors = graph.tables(0).map((t, index): TfliteTensor => {
    const q = t.table(4);
    const scale = q?.float32s(2) ?? [];
    const bufferIndex = t.int32(2);
    const data = buffers[bufferIndex];
    return {
      index,
      name: t.string(3) ?? `tensor_${index}`,
      shape: t.int32s(0),
      type: TENSOR_TYPES[t.int8(1)] ?? `type${t.int8(1)}`,
      data: data !== undefined && data.byteLength > 0 ? data : undefined,
      quantization:
        q !== undefined && scale.length > 0
          ? { scale, zeroPoint: q.int64s(3).map(Number), quantizedDimension: q.int32(6) }
          : undefined,
    };
  });

  const operators = graph.tables(3).map((op): TfliteOperator => {
    const code = opcodes[op.int32(0)];
    if (code === undefined)
      throw new ModelError('MODEL_CORRUPT', `${source}: operator code index out of range`);
    const inputs = op.int32s(1);
    const outputs = op.int32s(2);
    const options = op.table(4);
    const name = BUILTIN_OPS[code.builtin] ?? `BUILTIN_${code.builtin}`;
    switch (name) {
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D': {
        const depthwise = name === 'DEPTHWISE_CONV_2D';
        // Conv2DOptions {0 padding, 1 stride_w, 2 stride_h, 3 activation, 4/5 dilation};
        // DepthwiseConv2DOptions {0 padding, 1 stride_w, 2 stride_h, 3 depth_multiplier, 4 activation, 5/6 dilation}.
        const activationField = depthwise ? 4 : 3;
        const dilationField = depthwise ? 5 : 4;
        return {
          kind: name,
          inputs,
          outputs,
          options: {
            padding: options?.int8(0) === 1 ? 'VALID' : 'SAME',
            strideW: options?.int32(1, 1) ?? 1,
            strideH: options?.int32(2, 1) ?? 1,
            activation: activation(options?.int8(activationField) ?? 0),
            dilationW: options?.int32(dilationField, 1) ?? 1,
            dilationH: options?.int32(dilationField + 1, 1) ?? 1,
            depthMultiplier: depthwise ? (options?.int32(3, 1) ?? 1) : 1,
          },
        };
      }
      case 'ADD':
        return { kind: 'ADD', inputs, outputs, activation: activation(options?.int8(0) ?? 0) };
      case 'CONCATENATION':
        return {
          kind: 'CONCATENATION',
          inputs,
          outputs,
          axis: options?.int32(0) ?? 0,
          activation: activation(options?.int8(1) ?? 0),
        };
      case 'RESHAPE':
        return {
          kind: 'RESHAPE',
          inputs,
          outputs,
          newShape: options?.has(0) ? options.int32s(0) : undefined,
        };
      case 'LOGISTIC':
        return { kind: 'LOGISTIC', inputs, outputs };
      case 'CUSTOM':
        return {
          kind: 'CUSTOM',
          customCode: code.custom ?? '',
          inputs,
          outputs,
          customOptions: op.bytes(5),
        };
      default:
        return { kind: 'UNSUPPORTED', name, inputs, outputs };
    }
  });

  return {
    version: model.int32(0),
    description: model.string(3),
    tensors,
    inputs: graph.int32s(1),
    outputs: graph.int32s(2),
    operators,
  };
}

function activation(code: number): FusedActivation {
  return ACTIVATIONS[code] ?? 'SIGN_BIT';
}
