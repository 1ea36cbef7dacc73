import {
  attr,
  OnnxDataType,
  OnnxGraphBuilder,
  type OnnxAttribute,
} from '../onnx/onnxGraphBuilder.js';
import type { TfjsTensor, TfjsWeights } from './tfjsWeights.js';

/**
 * Writes TensorFlow-style layers (NHWC tensors, HWIO filters, 'same'/'valid' padding) as an
 * ONNX graph in NCHW, the layout onnxruntime's CPU kernels are fastest in. Filters are
 * transposed once here, at preparation time; TensorFlow's 'same' padding puts the odd extra
 * row or column at the end, which is ONNX's SAME_UPPER.
 */
export type Padding = 'same' | 'valid';

export interface ConvOptions {
  readonly strides?: number;
  readonly padding?: Padding;
  /** Bias per output channel, TensorFlow shape [out]. */
  readonly bias?: TfjsTensor;
}

export class TfjsGraph {
  readonly builder: OnnxGraphBuilder;
  private count = 0;

  constructor(name: string) {
    this.builder = new OnnxGraphBuilder(name);
  }

  /** A fresh value name that starts with `hint`. */
  name(hint: string): string {
    return `${hint.replace(/[^A-Za-z0-9_/]/g, '_')}#${this.count++}`;
  }

  /** A float initializer. */
  constant(hint: string, dims: readonly number[], data: Float32Array): string {
    return this.builder.addInitializer(this.name(hint), OnnxDataType.float, dims, data);
  }

  /** An int64 initializer (shapes, axes). */
  int64s(hint: string, values: readonly number[]): string {
    return this.builder.addInitializer(
      this.name(hint),
      OnnxDataType.int64,
      [values.length],
      BigInt64Array.from(values, (v) => BigInt(v)),
    );
  }

  /** One node with one output; returns the output's name. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, OnnxAttribute> = {},
  ): string {
    const out = this.name(opType);
    this.builder.addNode(opType, inputs, [out], attributes);
    return out;
  }

  /** Conv with an HWIO filter [kh, kw, in, out]. */
  conv(x: string, filter: TfjsTensor, options: ConvOptions = {}): string {
    const [kh, kw, cin, cout] = shape4(filter);
    const weights = this.constant(filter.name, [cout, cin, kh, kw], hwioToOihw(filter));
    return this.convNode(x, weights, cout, [kh, kw], 1, filter.name, options);
  }

  /** Depthwise conv with a filter [kh, kw, channels, 1] (channel multiplier 1). */
  depthwise(x: string, filter: TfjsTensor, options: ConvOptions = {}): string {
    const [kh, kw, channels, multiplier] = shape4(filter);
    if (multiplier !== 1)
      throw new RangeError(`${filter.name}: channel multiplier ${multiplier} is not supported`);
    const weights = this.constant(filter.name, [channels, 1, kh, kw], depthwiseToOnnx(filter));
    return this.convNode(x, weights, channels, [kh, kw], channels, filter.name, options);
  }

  /**
   * A depthwise separable conv as TF.js stores one: `<prefix>/depthwise_filter` [3, 3, cin, 1]
   * without bias, then `<prefix>/pointwise_filter` [1, 1, cin, cout] with `<prefix>/bias`;
   * 'same' padding, no activation.
   */
  separable(
    x: string,
    weights: TfjsWeights,
    prefix: string,
    cin: number,
    cout: number,
    strides = 1,
  ): string {
    const depthwise = this.depthwise(x, weights.get(`${prefix}/depthwise_filter`, [3, 3, cin, 1]), {
      strides,
    });
    return this.conv(depthwise, weights.get(`${prefix}/pointwise_filter`, [1, 1, cin, cout]), {
      bias: weights.get(`${prefix}/bias`, [cout]),
    });
  }

  /** x [N, in] times weights [in, out] plus bias [out]. */
  dense(x: string, weights: TfjsTensor, bias: TfjsTensor): string {
    const [cin, cout] = weights.shape as [number, number];
    return this.op('Gemm', [
      x,
      this.constant(weights.name, [cin, cout], weights.data as Float32Array),
      this.constant(bias.name, [cout], bias.data as Float32Array),
    ]);
  }

  relu(x: string): string {
    return this.op('Relu', [x]);
  }

  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }

  maxPool(x: string, size: number, strides: number, padding: Padding): string {
    return this.op('MaxPool', [x], {
      kernel_shape: attr.ints([size, size]),
      strides: attr.ints([strides, strides]),
      auto_pad: attr.string(padding === 'same' ? 'SAME_UPPER' : 'VALID'),
    });
  }

  avgPool(x: string, size: number, strides: number, padding: Padding): string {
    return this.op('AveragePool', [x], {
      kernel_shape: attr.ints([size, size]),
      strides: attr.ints([strides, strides]),
      auto_pad: attr.string(padding === 'same' ? 'SAME_UPPER' : 'VALID'),
    });
  }

  private convNode(
    x: string,
    weights: string,
    cout: number,
    kernel: readonly [number, number],
    group: number,
    hint: string,
    options: ConvOptions,
  ): string {
    const inputs = [x, weights];
    if (options.bias !== undefined) {
      if (options.bias.shape[0] !== cout)
        throw new RangeError(
          `${options.bias.name}: bias of ${options.bias.shape[0]} for ${cout} channels`,
        );
      inputs.push(this.constant(options.bias.name, [cout], options.bias.data as Float32Array));
    }
    const strides = options.strides ?? 1;
    const out = this.name(hint);
    this.builder.addNode('Conv', inputs, [out], {
      kernel_shape: attr.ints(kernel),
      strides: attr.ints([strides, strides]),
      group: attr.int(group),
      auto_pad: attr.string((options.padding ?? 'same') === 'same' ? 'SAME_UPPER' : 'VALID'),
    });
    return out;
  }
}

function shape4(t: TfjsTensor): [number, number, number, number] {
  if (t.shape.length !== 4)
    throw new RangeError(`${t.name}: expected a 4-d filter, got [${t.shape.join(',')}]`);
  return t.shape as [number, number, number, number];
}

/** [kh, kw, in, out] -> [out, in, kh, kw]. */
export function hwioToOihw(filter: TfjsTensor): Float32Array {
  const [kh, kw, cin, cout] = shape4(filter);
  const src = filter.data;
  const out = new Float32Array(src.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) {
          out[((o * cin + i) * kh + y) * kw + x] = src[((y * kw + x) * cin + i) * cout + o]!;
        }
  return out;
}

/** [kh, kw, c, 1] -> [c, 1, kh, kw]. */
export function depthwiseToOnnx(filter: TfjsTensor): Float32Array {
  const [kh, kw, c] = shape4(filter);
  const src = filter.data;
  const out = new Float32Array(src.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < c; i++) out[(i * kh + y) * kw + x] = src[(y * kw + x) * c + i]!;
  return out;
}
