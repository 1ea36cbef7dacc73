import onnxProto from 'onnx-proto';
import { ModelError } from '../../errors.js';

const { onnx } = onnxProto;

/**
 * Activation ranges of a float model, measured by running it on representative inputs: what
 * static int8 quantization needs to choose each tensor's scale and zero point. Committed next
 * to the manifest (models/*.calibration.json), so that preparing the int8 model is a pure,
 * reproducible function of the float model and this table.
 */
export interface CalibrationTable {
  readonly formatVersion: 1;
  /** sha256 of the float model the ranges were measured on. */
  readonly floatSha256: string;
  /** How the ranges were chosen, and from which inputs (free text, for people). */
  readonly method: string;
  /** Number of input samples. */
  readonly samples: number;
  /** [low, high] per tensor: the graph input and every node output. low <= 0 <= high. */
  readonly ranges: Readonly<Record<string, readonly [number, number]>>;
}

/** Parses a calibration table, checking its shape. `label` names the file in errors. */
export function parseCalibrationTable(bytes: Uint8Array, label: string): CalibrationTable {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new ModelError('MODEL_CORRUPT', `${label}: not JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const table = raw as Partial<CalibrationTable>;
  if (
    table.formatVersion !== 1 ||
    typeof table.floatSha256 !== 'string' ||
    typeof table.ranges !== 'object'
  ) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `${label}: not a calibration table (formatVersion 1 with floatSha256 and ranges)`,
    );
  }
  for (const [name, range] of Object.entries(table.ranges ?? {})) {
    const ok =
      Array.isArray(range) &&
      range.length === 2 &&
      Number.isFinite(range[0]) &&
      Number.isFinite(range[1]) &&
      range[0] <= 0 &&
      range[1] >= 0 &&
      range[1] > range[0];
    if (!ok)
      throw new ModelError(
        'MODEL_CORRUPT',
        `${label}: range of '${name}' must be [low <= 0, high >= 0], got ${JSON.stringify(range)}`,
      );
  }
  return table as CalibrationTable;
}

/**
 * The same model with every node output (and nothing else) as a graph output, so that one run
 * yields every activation. Types and shapes are left for ONNX Runtime to infer.
 */
export function exposeActivations(bytes: Uint8Array): { onnx: Uint8Array; tensors: string[] } {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (graph === null || graph === undefined)
    throw new ModelError('MODEL_CORRUPT', 'the ONNX model has no graph');
  const tensors = (graph.node ?? []).flatMap((n) => n.output ?? []).filter((name) => name !== '');
  graph.output = tensors.map((name) => onnx.ValueInfoProto.create({ name }));
  return { onnx: onnx.ModelProto.encode(model).finish(), tensors };
}

/** Number of values per tensor and input kept for the range search. */
export const RANGE_SAMPLES_PER_INPUT = 8000;

/**
 * Collects the observed minimum, maximum and an evenly strided sample of one tensor's values
 * over several inputs, then picks its quantization range.
 */
export class ActivationObserver {
  private low = 0;
  private high = 0;
  private readonly samples: number[] = [];

  observe(values: Float32Array): void {
    const stride = Math.max(1, Math.floor(values.length / RANGE_SAMPLES_PER_INPUT));
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < this.low) this.low = v;
      if (v > this.high) this.high = v;
      if (i % stride === 0) this.samples.push(v);
    }
  }

  /** The range for uint8 quantization: see {@link minimumErrorRange}. */
  range(): [number, number] {
    return minimumErrorRange(this.samples, this.low, this.high);
  }
}

/**
 * The uint8 quantization range with the least squared error over `values`, an evenly strided
 * sample of the tensor: first the high end, a fraction (1, 0.975, ..., 0.2) of the observed
 * `high`, then the low end likewise. The observed extremes come from every value, the sample
 * rarely holds them, so rare extremes are clipped and the bulk of the values gets the
 * resolution. On MobileFaceNet this lifted the cosine between float and int8 embeddings of
 * held-out faces from 0.963 (observed min/max) to 0.98 at the worst face.
 */
export function minimumErrorRange(
  values: readonly number[],
  low: number,
  high: number,
): [number, number] {
  if (high - low <= 0) return [Math.min(low, 0), Math.max(high, 1e-6)];
  const fractions = Array.from({ length: 33 }, (_, step) => 1 - step * 0.025);
  const bestHigh = argmin(
    fractions.map((f) => high * f),
    (h) => squaredError(values, low, h),
  );
  const bestLow = argmin(
    fractions.map((f) => low * f),
    (l) => squaredError(values, l, bestHigh),
  );
  return [bestLow, bestHigh];
}

function argmin(candidates: readonly number[], cost: (candidate: number) => number): number {
  let best = candidates[0]!;
  let bestCost = Infinity;
  for (const candidate of candidates) {
    const c = cost(candidate);
    if (c < bestCost) {
      bestCost = c;
      best = candidate;
    }
  }
  return best;
}

/** Sum of squared quantize-dequantize errors of `values` with the range [low, high]. */
function squaredError(values: readonly number[], low: number, high: number): number {
  if (high - low <= 0) return Infinity;
  const { scale, zeroPoint } = uint8Quantization(low, high);
  let error = 0;
  for (const v of values) {
    const q = Math.min(255, Math.max(0, Math.round(v / scale) + zeroPoint));
    const d = (q - zeroPoint) * scale - v;
    error += d * d;
  }
  return error;
}

/** Scale and zero point of asymmetric uint8 quantization covering [low <= 0, high >= 0]. */
export function uint8Quantization(low: number, high: number): { scale: number; zeroPoint: number } {
  const scale = Math.max(high - low, 1e-8) / 255;
  const zeroPoint = Math.min(255, Math.max(0, Math.round(-low / scale)));
  return { scale: Math.fround(scale), zeroPoint };
}
