/**
 * Plain tensor data exchanged with inference sessions, so that code outside src/inference/
 * never touches onnxruntime types.
 */
export type TensorElementType = 'float32' | 'uint8' | 'int8' | 'int32' | 'int64';

export type TensorArray = Float32Array | Uint8Array | Int8Array | Int32Array | BigInt64Array;

export interface TensorData {
  readonly type: TensorElementType;
  readonly data: TensorArray;
  readonly dims: readonly number[];
}

/** Shape and element type of a model input or output as the model declares it. */
export interface TensorSpec {
  readonly name: string;
  readonly type: string;
  /** Dimensions; a string is a symbolic (dynamic) dimension. */
  readonly dims: readonly (number | string)[];
}

/** Returns the int32 data of a tensor, or throws naming the tensor when it is another type. */
export function int32Data(tensor: TensorData | undefined, name: string): Int32Array {
  if (tensor === undefined) throw new RangeError(`model output '${name}' is missing`);
  if (!(tensor.data instanceof Int32Array)) {
    throw new TypeError(`model output '${name}' must be int32, got ${tensor.type}`);
  }
  return tensor.data;
}

/** Returns the float32 data of a tensor, or throws naming the tensor when it is another type. */
export function float32Data(tensor: TensorData | undefined, name: string): Float32Array {
  if (tensor === undefined) throw new RangeError(`model output '${name}' is missing`);
  if (!(tensor.data instanceof Float32Array)) {
    throw new TypeError(`model output '${name}' must be float32, got ${tensor.type}`);
  }
  return tensor.data;
}
