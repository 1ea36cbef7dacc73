import { ModelError } from '../../errors.js';

/**
 * TensorFlow.js weight manifests (`*-weights_manifest.json` plus binary shards): a list of
 * groups, each naming its shard files and the tensors laid end to end across them. A tensor may
 * be stored quantized: `quantization: { dtype: 'uint8', scale, min }` means each stored byte q
 * stands for min + q * scale. The architecture is not stored; only names, shapes and values.
 */

/** One tensor of a weight manifest, dequantized. Shapes are TensorFlow's (NHWC, HWIO filters). */
export interface TfjsTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

interface ManifestGroup {
  paths: string[];
  weights: ManifestWeight[];
}

/** The tensors of a weight manifest by name. */
export class TfjsWeights {
  private constructor(
    private readonly tensors: ReadonlyMap<string, TfjsTensor>,
    private readonly label: string,
  ) {}

  /**
   * Reads a manifest and its shards. `shard(path)` returns the bytes of a shard named in the
   * manifest (relative to the manifest's folder).
   */
  static parse(
    manifestJson: Buffer | string,
    shard: (path: string) => Buffer,
    label: string,
  ): TfjsWeights {
    const groups = parseManifest(manifestJson, label);
    const tensors = new Map<string, TfjsTensor>();
    for (const group of groups) {
      const bytes = Buffer.concat(group.paths.map((p) => shard(p)));
      let offset = 0;
      for (const weight of group.weights) {
        const { tensor, size } = readTensor(weight, bytes, offset, label);
        if (tensors.has(weight.name)) {
          throw new ModelError(
            'MODEL_CORRUPT',
            `${label}: tensor '${weight.name}' is listed twice`,
          );
        }
        tensors.set(weight.name, tensor);
        offset += size;
      }
      if (offset !== bytes.byteLength) {
        throw new ModelError(
          'MODEL_CORRUPT',
          `${label}: the manifest describes ${offset} bytes, its shards ${group.paths.join(', ')} hold ${bytes.byteLength}`,
        );
      }
    }
    return new TfjsWeights(tensors, label);
  }

  /** Every tensor name, in manifest order. */
  names(): string[] {
    return [...this.tensors.keys()];
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  /** A tensor as stored, float32 or int32. */
  tensor(name: string): TfjsTensor {
    const tensor = this.tensors.get(name);
    if (tensor === undefined) {
      throw new ModelError(
        'MODEL_CORRUPT',
        `${this.label}: no tensor '${name}' in the weight manifest`,
      );
    }
    return tensor;
  }

  /** A float tensor; its shape is checked when `shape` is given. */
  get(name: string, shape?: readonly number[]): TfjsTensor & { data: Float32Array } {
    const tensor = this.tensors.get(name);
    if (tensor === undefined) {
      throw new ModelError(
        'MODEL_CORRUPT',
        `${this.label}: no tensor '${name}' in the weight manifest`,
      );
    }
    if (!(tensor.data instanceof Float32Array)) {
      throw new ModelError('MODEL_CORRUPT', `${this.label}: tensor '${name}' is not float32`);
    }
    if (shape !== undefined && !sameShape(tensor.shape, shape)) {
      throw new ModelError(
        'MODEL_CORRUPT',
        `${this.label}: tensor '${name}' has shape [${tensor.shape.join(',')}], the architecture expects [${shape.join(',')}]`,
      );
    }
    return tensor as TfjsTensor & { data: Float32Array };
  }
}

function parseManifest(json: Buffer | string, label: string): ManifestGroup[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString());
  } catch (error) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `${label}: weight manifest is not JSON: ${(error as Error).message}`,
    );
  }
  if (!Array.isArray(raw))
    throw new ModelError('MODEL_CORRUPT', `${label}: weight manifest is not a list of groups`);
  return raw.map((group: unknown, i) => {
    const g = group as Partial<ManifestGroup>;
    if (!Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      throw new ModelError(
        'MODEL_CORRUPT',
        `${label}: weight group ${i} lacks 'paths' or 'weights'`,
      );
    }
    return g as ManifestGroup;
  });
}

function readTensor(
  weight: ManifestWeight,
  bytes: Buffer,
  offset: number,
  label: string,
): { tensor: TfjsTensor; size: number } {
  const count = weight.shape.reduce((a, b) => a * b, 1);
  const q = weight.quantization;
  const width = q === undefined ? 4 : q.dtype === 'uint8' ? 1 : 2;
  const size = count * width;
  if (offset + size > bytes.byteLength) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `${label}: tensor '${weight.name}' runs past the end of its shards`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
  if (q === undefined) {
    const data = weight.dtype === 'int32' ? new Int32Array(count) : new Float32Array(count);
    for (let i = 0; i < count; i++) {
      data[i] =
        weight.dtype === 'int32' ? view.getInt32(4 * i, true) : view.getFloat32(4 * i, true);
    }
    return { tensor: { name: weight.name, shape: weight.shape, data }, size };
  }
  if (q.dtype === 'float16' || q.scale === undefined || q.min === undefined) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `${label}: tensor '${weight.name}' uses quantization ${q.dtype}, which this reader does not take (uint8/uint16 with scale and min)`,
    );
  }
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const stored = width === 1 ? view.getUint8(i) : view.getUint16(2 * i, true);
    data[i] = q.min + stored * q.scale;
  }
  if (weight.dtype === 'int32') {
    return {
      tensor: { name: weight.name, shape: weight.shape, data: Int32Array.from(data, Math.round) },
      size,
    };
  }
  return { tensor: { name: weight.name, shape: weight.shape, data }, size };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
