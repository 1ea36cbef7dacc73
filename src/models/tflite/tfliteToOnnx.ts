import { toObject } from 'flatbuffers/js/flexbuffers.js';
import { ModelError } from '../../errors.js';
import { OnnxDataType, OnnxGraphBuilder, attr } from '../onnx/onnxGraphBuilder.js';
import type { FusedActivation, TfliteModel, TfliteOperator, TfliteTensor } from './tfliteModel.js';

/**
 * TFLite (uint8, per-tensor quantized) -> ONNX converter for SSD detectors.
 *
 * Three forms:
 * - 'qdq': every quantized tensor becomes QuantizeLinear -> DequantizeLinear around float
 *   ops, weights stay uint8 behind DequantizeLinear, biases int32. onnxruntime fuses this
 *   into QLinearConv & co. and reproduces the TFLite integer arithmetic. The quantize step
 *   also saturates to each tensor's range, which is how this model expresses ReLU6.
 * - 'qdq_s8': the same graph with each weight tensor and its zero point shifted by -128 into
 *   int8 (w - 128, z - 128): the dequantized weights are the same numbers, but onnxruntime's
 *   x86 kernels multiply uint8 activations by int8 weights much faster (VNNI, and AVX2's
 *   pmaddubsw). Without VNNI, pmaddubsw adds pairs of products in saturating int16, so the
 *   outputs can differ from 'qdq' where a pair exceeds 32767 (see modelFormChoice).
 * - 'float': weights dequantized to float32; each op's output is clipped to its tensor's
 *   quantized range instead (some layers are narrower than ReLU6, so a plain ReLU6 is wrong).
 *
 * The TFLite_Detection_PostProcess custom op is not converted: its two score/box inputs
 * become the graph outputs, and its anchors and options are returned for the TypeScript
 * post-processing. Anything else we do not handle is refused by name.
 */

export type OnnxForm = 'qdq' | 'qdq_s8' | 'float';

/** Options of TFLite_Detection_PostProcess, as stored in the model. */
export interface DetectionPostprocessOptions {
  maxDetections: number;
  maxClassesPerDetection: number;
  detectionsPerClass: number;
  useRegularNms: boolean;
  nmsScoreThreshold: number;
  nmsIouThreshold: number;
  numClasses: number;
  yScale: number;
  xScale: number;
  hScale: number;
  wScale: number;
}

export interface ConvertedSsd {
  /**
   * The serialised ONNX model: input 'image' uint8 [1,H,W,3] RGB; outputs 'box_encodings'
   * [1,N,4], 'class_scores' [1,N,C+1] (column 0 is background), and each anchor's best class
   * without the background: 'best_scores' float [1,N] and 'best_classes' int32 [1,N] (the first
   * of equal scores, index into the labels). Class-agnostic NMS needs only the best class, so a
   * caller fetches those and leaves the 91-column score matrix inside onnxruntime.
   */
  onnx: Uint8Array;
  inputShape: [number, number, number, number];
  /** Anchors as (yc, xc, h, w) rows, normalised, dequantized from the model's constant tensor. */
  anchors: Float32Array;
  /** The input quantization: real = scale * (q - zeroPoint). */
  inputQuantization: { scale: number; zeroPoint: number };
  postprocess: DetectionPostprocessOptions;
}

type Layout = 'nchw' | 'plain';
interface Value {
  name: string;
  layout: Layout;
}

const POSTPROCESS_OP = 'TFLite_Detection_PostProcess';

/** Converts an SSD TFLite model ending in TFLite_Detection_PostProcess. */
export function convertSsdTflite(
  model: TfliteModel,
  options: { form: OnnxForm; source?: string },
): ConvertedSsd {
  return new SsdConverter(model, options.form, options.source ?? 'model').convert();
}

class SsdConverter {
  private readonly graph = new OnnxGraphBuilder('ssd_mobilenet');
  private readonly values = new Map<number, Value>();

  constructor(
    private readonly model: TfliteModel,
    private readonly form: OnnxForm,
    private readonly source: string,
  ) {}

  convert(): ConvertedSsd {
    const { model } = this;
    if (model.inputs.length !== 1) this.refuse(`expected 1 input, found ${model.inputs.length}`);
    const input = this.tensor(model.inputs[0] ?? -1);
    if (
      input.type !== 'uint8' ||
      input.shape.length !== 4 ||
      input.shape[0] !== 1 ||
      input.shape[3] !== 3
    ) {
      this.refuse(
        `input '${input.name}' must be uint8 [1,H,W,3], found ${input.type} [${input.shape.join(',')}]`,
      );
    }
    const inputQ = this.perTensor(input);
    this.graph.addInput('image', OnnxDataType.uint8, input.shape);
    this.graph.addNode('Transpose', ['image'], ['image_nchw'], { perm: attr.ints([0, 3, 1, 2]) });
    this.dequantize('image_nchw', input, `t${input.index}`);
    this.values.set(input.index, { name: `t${input.index}`, layout: 'nchw' });

    let postprocess: Extract<TfliteOperator, { kind: 'CUSTOM' }> | undefined;
    for (const op of model.operators) {
      if (op.kind === 'CUSTOM' && op.customCode === POSTPROCESS_OP) {
        if (postprocess !== undefined) this.refuse(`more than one ${POSTPROCESS_OP} op`);
        postprocess = op;
        continue;
      }
      if (postprocess !== undefined)
        this.refuse(`op ${opName(op)} after ${POSTPROCESS_OP} is not supported`);
      this.convertOp(op);
    }
    if (postprocess === undefined)
      this.refuse(`no ${POSTPROCESS_OP} op: this converter handles SSD detectors`);

    const [boxesIndex, scoresIndex, anchorsIndex] = postprocess.inputs;
    const boxes = this.plain(this.value(boxesIndex ?? -1));
    const scores = this.plain(this.value(scoresIndex ?? -1));
    const boxesShape = this.tensor(boxesIndex ?? -1).shape;
    const scoresShape = this.tensor(scoresIndex ?? -1).shape;
    this.graph.addNode('Identity', [boxes.name], ['box_encodings']);
    this.graph.addNode('Identity', [scores.name], ['class_scores']);
    this.graph.addOutput('box_encodings', OnnxDataType.float, boxesShape);
    this.graph.addOutput('class_scores', OnnxDataType.float, scoresShape);
    this.addBestClass(scores.name, scoresShape);

    const anchorsTensor = this.tensor(anchorsIndex ?? -1);
    const anchors = this.dequantizeConstant(anchorsTensor);
    const options = this.postprocessOptions(postprocess.customOptions);
    if (anchors.length !== (boxesShape[1] ?? 0) * 4) {
      this.refuse(
        `anchors '${anchorsTensor.name}' hold ${anchors.length / 4} boxes, box encodings ${boxesShape[1]}`,
      );
    }
    if ((scoresShape[2] ?? 0) !== options.numClasses + 1) {
      this.refuse(
        `scores have ${scoresShape[2]} columns, post-process expects ${options.numClasses} classes + background`,
      );
    }
    return {
      onnx: this.graph.toBytes({
        docString: `Converted by mobilenet-ros from a TFLite SSD (${this.form} form); post-processing runs in TypeScript.`,
      }),
      inputShape: input.shape as [number, number, number, number],
      anchors,
      inputQuantization: inputQ,
      postprocess: options,
    };
  }

  private convertOp(op: TfliteOperator): void {
    switch (op.kind) {
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D':
        return this.conv(op);
      case 'ADD': {
        const [a, b] = op.inputs.map((i) => this.value(i));
        if (a === undefined || b === undefined) return this.refuse('ADD needs two inputs');
        const sameShape =
          this.tensor(op.inputs[0] ?? -1).shape.join() ===
          this.tensor(op.inputs[1] ?? -1).shape.join();
        if (!sameShape)
          this.refuse(
            `ADD with broadcasting (tensor '${this.tensor(op.outputs[0] ?? -1).name}') is not supported`,
          );
        const [x, y] = a.layout === b.layout ? [a, b] : [this.plain(a), this.plain(b)];
        const out = this.tmp(op, 'add');
        this.graph.addNode('Add', [x.name, y.name], [out]);
        return this.finish(op, this.activation(out, op.activation, op), x.layout);
      }
      case 'CONCATENATION': {
        const inputs = op.inputs.map((i) => this.value(i));
        const rank = this.tensor(op.outputs[0] ?? -1).shape.length;
        const allNchw = inputs.every((v) => v.layout === 'nchw');
        const used = allNchw ? inputs : inputs.map((v) => this.plain(v));
        let axis = op.axis < 0 ? op.axis + rank : op.axis;
        if (allNchw) axis = [0, 2, 3, 1][axis] ?? axis;
        const out = this.tmp(op, 'concat');
        this.graph.addNode(
          'Concat',
          used.map((v) => v.name),
          [out],
          { axis: attr.int(axis) },
        );
        return this.finish(op, this.activation(out, op.activation, op), allNchw ? 'nchw' : 'plain');
      }
      case 'RESHAPE': {
        const x = this.plain(this.value(op.inputs[0] ?? -1));
        const shape = this.tensor(op.outputs[0] ?? -1).shape;
        const shapeName = this.graph.addInitializer(
          `${this.tmp(op, 'shape')}`,
          OnnxDataType.int64,
          [shape.length],
          BigInt64Array.from(shape.map(BigInt)),
        );
        const out = `t${op.outputs[0]}`;
        // A reshape keeps its input's quantization: no requantization needed.
        this.graph.addNode('Reshape', [x.name, shapeName], [out]);
        this.values.set(op.outputs[0] ?? -1, { name: out, layout: 'plain' });
        return;
      }
      case 'LOGISTIC': {
        const x = this.value(op.inputs[0] ?? -1);
        const out = this.tmp(op, 'sigmoid');
        this.graph.addNode('Sigmoid', [x.name], [out]);
        return this.finish(op, out, x.layout);
      }
      case 'CUSTOM':
        return this.refuse(
          `custom op '${op.customCode}' (output '${this.tensor(op.outputs[0] ?? -1).name}') is not supported`,
        );
      case 'UNSUPPORTED':
        return this.refuse(
          `op ${op.name} (output '${this.tensor(op.outputs[0] ?? -1).name}') is not supported`,
        );
    }
  }

  private conv(op: Extract<TfliteOperator, { kind: 'CONV_2D' | 'DEPTHWISE_CONV_2D' }>): void {
    const o = op.options;
    const outTensor = this.tensor(op.outputs[0] ?? -1);
    if (o.dilationH !== 1 || o.dilationW !== 1)
      this.refuse(`${op.kind} '${outTensor.name}' uses dilation`);
    if (o.depthMultiplier !== 1)
      this.refuse(`${op.kind} '${outTensor.name}' has depth_multiplier ${o.depthMultiplier}`);
    const x = this.nchw(this.value(op.inputs[0] ?? -1));
    const inShape = this.tensor(op.inputs[0] ?? -1).shape;
    const weights = this.tensor(op.inputs[1] ?? -1);
    const biasIndex = op.inputs[2] ?? -1;
    const [wo = 0, kh = 0, kw = 0, wi = 0] = weights.shape;
    const depthwise = op.kind === 'DEPTHWISE_CONV_2D';
    const channels = inShape[3] ?? 0;

    // TFLite filters: conv [O,KH,KW,I]; depthwise [1,KH,KW,C]. ONNX wants [O,I/group,KH,KW].
    const onnxDims = depthwise ? [wi, 1, kh, kw] : [wo, wi, kh, kw];
    const reorder = depthwise
      ? (c: number, _i: number, y: number, xx: number) => (y * kw + xx) * wi + c
      : (oc: number, ic: number, y: number, xx: number) => ((oc * kh + y) * kw + xx) * wi + ic;
    const wName = this.constant(weights, onnxDims, reorder);
    const inputs = [x.name, wName];
    if (biasIndex >= 0)
      inputs.push(this.constant(this.tensor(biasIndex), this.tensor(biasIndex).shape));

    const pads = [
      ...samePads(o.padding, inShape[1] ?? 0, kh, o.strideH),
      ...samePads(o.padding, inShape[2] ?? 0, kw, o.strideW),
    ];
    const out = this.tmp(op, 'conv');
    this.graph.addNode('Conv', inputs, [out], {
      kernel_shape: attr.ints([kh, kw]),
      strides: attr.ints([o.strideH, o.strideW]),
      pads: attr.ints([pads[0] ?? 0, pads[2] ?? 0, pads[1] ?? 0, pads[3] ?? 0]),
      dilations: attr.ints([1, 1]),
      group: attr.int(depthwise ? channels : 1),
    });
    this.finish(op, this.activation(out, o.activation, op), 'nchw');
  }

  /** Puts an op's float result on the output tensor's quantization grid (or range). */
  private finish(op: TfliteOperator, floatName: string, layout: Layout): void {
    const index = op.outputs[0] ?? -1;
    const tensor = this.tensor(index);
    const name = `t${index}`;
    if (tensor.type !== 'uint8')
      this.refuse(`tensor '${tensor.name}' is ${tensor.type}; only uint8 is supported`);
    const q = this.perTensor(tensor);
    if (this.form !== 'float') {
      const [scale, zp] = this.quantParams(tensor);
      this.graph.addNode('QuantizeLinear', [floatName, scale, zp], [`${name}_q`]);
      this.graph.addNode('DequantizeLinear', [`${name}_q`, scale, zp], [name]);
    } else {
      const lo = this.graph.addScalar(`${name}_min`, q.scale * (0 - q.zeroPoint));
      const hi = this.graph.addScalar(`${name}_max`, q.scale * (255 - q.zeroPoint));
      this.graph.addNode('Clip', [floatName, lo, hi], [name]);
    }
    this.values.set(index, { name, layout });
  }

  private activation(name: string, activation: FusedActivation, op: TfliteOperator): string {
    switch (activation) {
      case 'NONE':
        return name;
      case 'RELU': {
        this.graph.addNode('Relu', [name], [`${name}_relu`]);
        return `${name}_relu`;
      }
      case 'RELU6': {
        const lo = this.graph.has('relu6_min') ? 'relu6_min' : this.graph.addScalar('relu6_min', 0);
        const hi = this.graph.has('relu6_max') ? 'relu6_max' : this.graph.addScalar('relu6_max', 6);
        this.graph.addNode('Clip', [name, lo, hi], [`${name}_relu6`]);
        return `${name}_relu6`;
      }
      case 'RELU_N1_TO_1':
      case 'TANH':
      case 'SIGN_BIT':
        return this.refuse(
          `fused activation ${activation} on ${opName(op)} '${this.tensor(op.outputs[0] ?? -1).name}' is not supported`,
        );
    }
  }

  /** A constant tensor (weights or bias) as a float value, relaid out by `reorder` when given. */
  private constant(
    tensor: TfliteTensor,
    dims: number[],
    reorder?: (a: number, b: number, c: number, d: number) => number,
  ): string {
    if (tensor.data === undefined) this.refuse(`tensor '${tensor.name}' should be constant`);
    const name = `t${tensor.index}`;
    if (this.graph.has(name)) return name;
    const q = this.perTensor(tensor);
    const source = this.typedData(tensor);
    const data = reorder === undefined ? source : relayout(source, dims, reorder);
    if (this.form === 'qdq_s8' && data instanceof Uint8Array) {
      // uint8 weights w with zero point z become int8 w - 128 with zero point z - 128.
      const shifted = Int8Array.from(data, (v) => v - 128);
      this.graph.addInitializer(`${name}_q`, OnnxDataType.int8, dims, shifted);
      this.dequantize(`${name}_q`, tensor, name, { shift: -128 });
    } else if (this.form !== 'float') {
      const onnxType = data instanceof Uint8Array ? OnnxDataType.uint8 : OnnxDataType.int32;
      this.graph.addInitializer(`${name}_q`, onnxType, dims, data);
      this.dequantize(`${name}_q`, tensor, name);
    } else {
      const real = new Float32Array(data.length);
      for (let i = 0; i < data.length; i++) real[i] = q.scale * ((data[i] ?? 0) - q.zeroPoint);
      this.graph.addInitializer(name, OnnxDataType.float, dims, real);
    }
    return name;
  }

  private dequantize(
    input: string,
    tensor: TfliteTensor,
    output: string,
    options: { shift?: -128 } = {},
  ): void {
    const [scale, zp] = this.quantParams(tensor, options);
    this.graph.addNode('DequantizeLinear', [input, scale, zp], [output]);
  }

  /**
   * Scale and zero-point initializers of a tensor (zero point typed like the tensor; with
   * `shift: -128`, a uint8 zero point becomes the int8 zero point z - 128).
   */
  private quantParams(tensor: TfliteTensor, options: { shift?: -128 } = {}): [string, string] {
    const q = this.perTensor(tensor);
    const scale = this.graph.addScalar(`t${tensor.index}_scale`, q.scale);
    if (tensor.type === 'int32')
      return [scale, this.graph.addScalar(`t${tensor.index}_zp`, q.zeroPoint, OnnxDataType.int32)];
    const zp =
      options.shift === undefined
        ? this.graph.addScalar(`t${tensor.index}_zp`, q.zeroPoint, OnnxDataType.uint8)
        : this.graph.addScalar(
            `t${tensor.index}_zp`,
            q.zeroPoint + options.shift,
            OnnxDataType.int8,
          );
    return [scale, zp];
  }

  private perTensor(tensor: TfliteTensor): { scale: number; zeroPoint: number } {
    const q = tensor.quantization;
    if (q === undefined)
      this.refuse(`tensor '${tensor.name}' is not quantized; only quantized models are supported`);
    if (q.scale.length !== 1) {
      this.refuse(
        `tensor '${tensor.name}' uses per-channel quantization (${q.scale.length} scales); only per-tensor is supported`,
      );
    }
    return { scale: q.scale[0] ?? 0, zeroPoint: q.zeroPoint[0] ?? 0 };
  }

  private typedData(tensor: TfliteTensor): Uint8Array | Int32Array {
    const bytes = tensor.data;
    if (bytes === undefined) return this.refuse(`tensor '${tensor.name}' has no data`);
    switch (tensor.type) {
      case 'uint8':
        return bytes;
      case 'int32': {
        // An aligned copy (flatbuffer data need not be 4-byte aligned). `new Uint8Array(view)`
        // copies even when the view is a Node Buffer, whose slice() would not.
        const copy = new Uint8Array(bytes);
        return new Int32Array(copy.buffer, 0, copy.byteLength / 4);
      }
      default:
        return this.refuse(
          `constant tensor '${tensor.name}' has type ${tensor.type}; only uint8 and int32 are supported`,
        );
    }
  }

  private dequantizeConstant(tensor: TfliteTensor): Float32Array {
    const q = this.perTensor(tensor);
    const data = this.typedData(tensor);
    return Float32Array.from(data, (v) => q.scale * (v - q.zeroPoint));
  }

  /** 'best_scores' and 'best_classes': max and argmax over the columns after the background. */
  private addBestClass(scores: string, shape: readonly number[]): void {
    const [batch, anchors, columns] = shape;
    if (
      shape.length !== 3 ||
      batch === undefined ||
      anchors === undefined ||
      columns === undefined ||
      columns < 2
    ) {
      this.refuse(`scores must be [1, anchors, background + classes], found [${shape.join(',')}]`);
    }
    const int64 = (name: string, value: number): string =>
      this.graph.addInitializer(name, OnnxDataType.int64, [1], BigInt64Array.from([BigInt(value)]));
    this.graph.addNode(
      'Slice',
      [scores, int64('classes_start', 1), int64('classes_end', columns), int64('classes_axis', 2)],
      ['foreground_scores'],
    );
    this.graph.addNode('ReduceMax', ['foreground_scores'], ['best_scores'], {
      axes: attr.ints([2]),
      keepdims: attr.int(0),
    });
    this.graph.addNode('ArgMax', ['foreground_scores'], ['best_classes_int64'], {
      axis: attr.int(2),
      keepdims: attr.int(0),
    });
    this.graph.addNode('Cast', ['best_classes_int64'], ['best_classes'], {
      to: attr.int(OnnxDataType.int32),
    });
    this.graph.addOutput('best_scores', OnnxDataType.float, [batch, anchors]);
    this.graph.addOutput('best_classes', OnnxDataType.int32, [batch, anchors]);
  }

  private postprocessOptions(bytes: Uint8Array | undefined): DetectionPostprocessOptions {
    if (bytes === undefined) this.refuse(`${POSTPROCESS_OP} has no options`);
    const raw = toObject(new Uint8Array(bytes).buffer) as Record<string, unknown>;
    const num = (key: string, fallback?: number): number => {
      const v = raw[key];
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (fallback !== undefined) return fallback;
      return this.refuse(`${POSTPROCESS_OP} option '${key}' is missing`);
    };
    return {
      maxDetections: num('max_detections'),
      maxClassesPerDetection: num('max_classes_per_detection'),
      detectionsPerClass: num('detections_per_class', 100),
      useRegularNms: num('use_regular_nms', 0) !== 0,
      nmsScoreThreshold: num('nms_score_threshold'),
      nmsIouThreshold: num('nms_iou_threshold'),
      numClasses: num('num_classes'),
      yScale: num('y_scale'),
      xScale: num('x_scale'),
      hScale: num('h_scale'),
      wScale: num('w_scale'),
    };
  }

  private value(index: number): Value {
    const value = this.values.get(index);
    if (value === undefined)
      this.refuse(`tensor '${this.tensor(index).name}' is used before it is computed`);
    return value;
  }

  /** The value in TFLite's own (NHWC or flat) element order. */
  private plain(value: Value): Value {
    if (value.layout === 'plain') return value;
    const name = `${value.name}_nhwc`;
    if (!this.graph.has(name))
      this.graph.addNode('Transpose', [value.name], [name], { perm: attr.ints([0, 2, 3, 1]) });
    return { name, layout: 'plain' };
  }

  private nchw(value: Value): Value {
    if (value.layout === 'nchw') return value;
    const name = `${value.name}_nchw`;
    if (!this.graph.has(name))
      this.graph.addNode('Transpose', [value.name], [name], { perm: attr.ints([0, 3, 1, 2]) });
    return { name, layout: 'nchw' };
  }

  private tmp(op: TfliteOperator, what: string): string {
    return `t${op.outputs[0]}_${what}`;
  }

  private tensor(index: number): TfliteTensor {
    const tensor = this.model.tensors[index];
    if (tensor === undefined) return this.refuse(`tensor index ${index} out of range`);
    return tensor;
  }

  private refuse(reason: string): never {
    throw new ModelError('MODEL_UNSUPPORTED', `cannot convert ${this.source} to ONNX: ${reason}`);
  }
}

function opName(op: TfliteOperator): string {
  return op.kind === 'UNSUPPORTED'
    ? op.name
    : op.kind === 'CUSTOM'
      ? `custom op '${op.customCode}'`
      : op.kind;
}

/** TensorFlow SAME padding: output = ceil(in / stride), extra padding goes after. */
function samePads(
  padding: 'SAME' | 'VALID',
  size: number,
  kernel: number,
  stride: number,
): [number, number] {
  if (padding === 'VALID') return [0, 0];
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

function relayout<T extends Uint8Array | Int32Array>(
  source: T,
  dims: number[],
  index: (a: number, b: number, c: number, d: number) => number,
): T {
  const [d0 = 1, d1 = 1, d2 = 1, d3 = 1] = dims;
  // Not `new source.constructor()`: model bytes are a Node Buffer, whose constructor is deprecated.
  const out = (
    source instanceof Int32Array ? new Int32Array(source.length) : new Uint8Array(source.length)
  ) as T;
  let k = 0;
  for (let a = 0; a < d0; a++)
    for (let b = 0; b < d1; b++)
      for (let c = 0; c < d2; c++)
        for (let d = 0; d < d3; d++) out[k++] = source[index(a, b, c, d)] ?? 0;
  return out;
}
