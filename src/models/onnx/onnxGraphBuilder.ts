import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX TensorProto.DataType values this project writes. */
export const OnnxDataType = {
  float: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
} as const;
export type OnnxDataType = (typeof OnnxDataType)[keyof typeof OnnxDataType];

/** A node attribute with its ONNX type made explicit (a JS number could be an int or a float). */
export type OnnxAttribute =
  | { type: 'int'; value: number }
  | { type: 'ints'; value: readonly number[] }
  | { type: 'float'; value: number }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'string'; value: string };

export const attr = {
  int: (value: number): OnnxAttribute => ({ type: 'int', value }),
  ints: (value: readonly number[]): OnnxAttribute => ({ type: 'ints', value }),
  float: (value: number): OnnxAttribute => ({ type: 'float', value }),
  floats: (value: readonly number[]): OnnxAttribute => ({ type: 'floats', value }),
  string: (value: string): OnnxAttribute => ({ type: 'string', value }),
};

export type TensorData = Float32Array | Uint8Array | Int8Array | Int32Array | BigInt64Array;

/** Options for {@link OnnxGraphBuilder.toBytes}. */
export interface OnnxModelOptions {
  /** Default opset domain version. Default 13 (per-tensor and per-axis QDQ, Conv, Clip with inputs). */
  opset?: number;
  /** Free text stored as the model's doc string. */
  docString?: string;
  /** Key/value pairs stored as metadata_props. */
  metadata?: Record<string, string>;
}

/**
 * Assembles an ONNX graph node by node and serialises it with the ONNX protobuf schema
 * (onnx-proto). Names are checked as they are added, so a typo fails here rather than as an
 * opaque error inside onnxruntime.
 */
export class OnnxGraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly defined = new Set<string>();
  private nodeCount = 0;

  constructor(private readonly name: string) {}

  /** Whether a value of this name has been defined by an input, initializer or node. */
  has(name: string): boolean {
    return this.defined.has(name);
  }

  addInput(name: string, type: OnnxDataType, shape: readonly (number | string)[]): string {
    this.define(name);
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  addOutput(name: string, type: OnnxDataType, shape: readonly (number | string)[]): void {
    if (!this.defined.has(name)) throw new RangeError(`graph output '${name}' is not defined`);
    this.outputs.push(valueInfo(name, type, shape));
  }

  addInitializer(
    name: string,
    type: OnnxDataType,
    dims: readonly number[],
    data: TensorData,
  ): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) {
      throw new RangeError(
        `initializer '${name}': dims ${JSON.stringify(dims)} hold ${count} values, got ${data.length}`,
      );
    }
    this.define(name);
    this.initializers.push({
      name,
      dataType: type,
      dims: [...dims],
      // raw_data is little-endian, which is what typed arrays hold on every platform we target.
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice(),
    });
    return name;
  }

  /** Scalar float initializer (shape []). */
  addScalar(name: string, value: number, type: OnnxDataType = OnnxDataType.float): string {
    const data =
      type === OnnxDataType.float
        ? Float32Array.of(value)
        : type === OnnxDataType.uint8
          ? Uint8Array.of(value)
          : type === OnnxDataType.int8
            ? Int8Array.of(value)
            : type === OnnxDataType.int32
              ? Int32Array.of(value)
              : BigInt64Array.of(BigInt(value));
    return this.addInitializer(name, type, [], data);
  }

  /**
   * Adds a node. Inputs must already exist ('' marks an omitted optional input); the outputs
   * are defined by it.
   */
  addNode(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: Record<string, OnnxAttribute> = {},
  ): void {
    for (const input of inputs) {
      if (input !== '' && !this.defined.has(input)) {
        throw new RangeError(`${opType} node: input '${input}' is not defined`);
      }
    }
    for (const output of outputs) this.define(output);
    this.nodes.push({
      name: `${opType}_${this.nodeCount++}`,
      opType,
      input: [...inputs],
      output: [...outputs],
      attribute: Object.entries(attributes).map(([name, a]) => attributeProto(name, a)),
    });
  }

  /** Serialises the model. */
  toBytes(options: OnnxModelOptions = {}): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 7,
      producerName: 'mobilenet-ros',
      docString: options.docString ?? '',
      opsetImport: [{ domain: '', version: options.opset ?? 13 }],
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private define(name: string): void {
    if (name === '') throw new RangeError('value names must not be empty');
    if (this.defined.has(name)) throw new RangeError(`value '${name}' is defined twice`);
    this.defined.add(name);
  }
}

function valueInfo(
  name: string,
  type: OnnxDataType,
  shape: readonly (number | string)[],
): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: type,
        shape: {
          dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

function attributeProto(name: string, a: OnnxAttribute): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...a.value] };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
  }
}
