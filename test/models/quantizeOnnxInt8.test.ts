import assert from 'node:assert/strict';
import onnxProto from 'onnx-proto';
import { ModelError } from '../../src/errors.js';
import { ModelSession } from '../../src/inference/modelSession.js';
import { float32Data } from '../../src/inference/tensorData.js';
import {
  minimumErrorRange,
  parseCalibrationTable,
  uint8Quantization,
  type CalibrationTable,
} from '../../src/models/onnx/calibrationTable.js';
import { OnnxDataType, OnnxGraphBuilder, attr } from '../../src/models/onnx/onnxGraphBuilder.js';
import { quantizeOnnxInt8 } from '../../src/models/onnx/quantizeOnnxInt8.js';
import { sha256 } from '../../src/models/verifiedFile.js';

const { onnx } = onnxProto;

/** A small deterministic pseudo-random sequence in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  });
}

const SLOPES = [-0.5, 0.25, 1.2];

/** input [1,3,4,4] -> Conv 3x3 pad 1 (3 -> 3 channels, bias) -> PRelu -> Add(input) -> output. */
function tinyModel(extraOp?: string): Uint8Array {
  const g = new OnnxGraphBuilder('tiny');
  g.addInput('input', OnnxDataType.float, [1, 3, 4, 4]);
  g.addInitializer('w', OnnxDataType.float, [3, 3, 3, 3], values(81, 7));
  g.addInitializer('b', OnnxDataType.float, [3], Float32Array.from([0.1, -0.2, 0.05]));
  g.addInitializer('slope', OnnxDataType.float, [3, 1, 1], Float32Array.from(SLOPES));
  g.addNode('Conv', ['input', 'w', 'b'], ['conv'], {
    pads: attr.ints([1, 1, 1, 1]),
    kernel_shape: attr.ints([3, 3]),
  });
  g.addNode('PRelu', ['conv', 'slope'], ['prelu']);
  g.addNode(extraOp ?? 'Add', extraOp === undefined ? ['prelu', 'input'] : ['prelu'], ['output']);
  g.addOutput('output', OnnxDataType.float, [1, 3, 4, 4]);
  return g.toBytes({ opset: 9 });
}

async function run(model: Uint8Array, input: Float32Array): Promise<Float32Array> {
  const session = await ModelSession.fromBytes(model, { label: 'tiny', intraOpThreads: 1 });
  try {
    const out = await session.run({ input: { type: 'float32', data: input, dims: [1, 3, 4, 4] } });
    return float32Data(out.output, 'output');
  } finally {
    await session.close();
  }
}

function table(model: Uint8Array, ranges: CalibrationTable['ranges']): CalibrationTable {
  return { formatVersion: 1, floatSha256: sha256(model), method: 'test', samples: 1, ranges };
}

describe('static int8 quantization (quantizeOnnxInt8)', function () {
  const model = tinyModel();
  const ranges = { input: [-1, 1], conv: [-8, 8], prelu: [-10, 10] } as const;

  it('writes int8 per-channel weights, int32 biases and uint8 activations; output within a few steps of float', async function () {
    const result = quantizeOnnxInt8(model, sha256(model), table(model, ranges), 'tiny');
    assert.deepEqual([result.convs, result.prelus, result.activations], [1, 1, 3]);
    const graph = onnx.ModelProto.decode(result.onnx).graph!;
    const types: Record<string, number | null | undefined> = Object.fromEntries(
      graph.initializer!.map((t) => [t.name ?? '', t.dataType]),
    );
    assert.equal(types['w_int8'], OnnxDataType.int8);
    assert.equal(types['b_int32'], OnnxDataType.int32);
    assert.equal(types['input_zero_point'], OnnxDataType.uint8);
    assert.equal(types['w'], undefined, 'the float weights are gone');
    assert.ok(!graph.node!.some((n) => n.opType === 'PRelu'));

    const input = values(48, 3);
    const float = await run(model, input);
    const int8 = await run(result.onnx, input);
    // Three quantized tensors in a row: the error stays within a few steps of the widest (20/255).
    const step = 20 / 255;
    for (let i = 0; i < float.length; i++) {
      assert.ok(
        Math.abs(float[i]! - int8[i]!) < 3 * step,
        `element ${i}: ${float[i]} vs ${int8[i]}`,
      );
    }
  });

  it('rewrites PRelu as s*x + (1-s)*relu(x): exactly PRelu of the quantized input', async function () {
    // input -> PRelu -> output: only the input is quantized, so the result must equal PRelu of
    // the dequantized input (negative, small and above-1 slopes).
    const g = new OnnxGraphBuilder('prelu');
    g.addInput('input', OnnxDataType.float, [1, 3, 4, 4]);
    g.addInitializer('slope', OnnxDataType.float, [3, 1, 1], Float32Array.from(SLOPES));
    g.addNode('PRelu', ['input', 'slope'], ['output']);
    g.addOutput('output', OnnxDataType.float, [1, 3, 4, 4]);
    const prelu = g.toBytes({ opset: 9 });
    const quantized = quantizeOnnxInt8(
      prelu,
      sha256(prelu),
      table(prelu, { input: [-1, 1] }),
      'prelu',
    ).onnx;
    const input = values(48, 11);
    const out = await run(quantized, input);
    const { scale, zeroPoint } = uint8Quantization(-1, 1);
    input.forEach((x, i) => {
      const q = (Math.min(255, Math.max(0, Math.round(x / scale) + zeroPoint)) - zeroPoint) * scale;
      const s = SLOPES[Math.floor(i / 16)]!;
      const expected = q > 0 ? q : s * q;
      assert.ok(Math.abs(out[i]! - expected) < 1e-6, `element ${i}: ${out[i]} vs ${expected}`);
    });
  });

  it('refuses an op it does not know, naming op and node; nothing is half-written', function () {
    const sigmoid = tinyModel('Sigmoid');
    assert.throws(
      () => quantizeOnnxInt8(sigmoid, sha256(sigmoid), table(sigmoid, ranges), 'tiny'),
      (e: unknown) =>
        e instanceof ModelError &&
        e.code === 'MODEL_UNSUPPORTED' &&
        /tiny: cannot quantize Sigmoid node 'Sigmoid_2'/.test(e.message),
    );
  });

  it('refuses a table measured on another model, and a tensor without a range', function () {
    assert.throws(
      () =>
        quantizeOnnxInt8(
          model,
          sha256(model),
          { ...table(model, ranges), floatSha256: 'ab'.repeat(32) },
          'tiny',
        ),
      /tiny: the calibration table was measured on the float model abababababab…, this one is/,
    );
    assert.throws(
      () =>
        quantizeOnnxInt8(
          model,
          sha256(model),
          table(model, { input: [-1, 1], conv: [-4, 4] }),
          'tiny',
        ),
      /tiny: the calibration table has no range for tensor 'prelu'/,
    );
  });
});

describe('calibration tables', function () {
  it('parse only when every range is [low <= 0, high >= 0]', function () {
    const good = {
      formatVersion: 1,
      floatSha256: 'x',
      method: 'm',
      samples: 1,
      ranges: { a: [-1, 2] },
    };
    assert.deepEqual(parseCalibrationTable(Buffer.from(JSON.stringify(good)), 't').ranges, {
      a: [-1, 2],
    });
    assert.throws(
      () =>
        parseCalibrationTable(
          Buffer.from(JSON.stringify({ ...good, ranges: { a: [0.5, 2] } })),
          'cal.json',
        ),
      /cal\.json: range of 'a' must be \[low <= 0, high >= 0\], got \[0\.5,2\]/,
    );
    assert.throws(() => parseCalibrationTable(Buffer.from('{'), 'cal.json'), /cal\.json: not JSON/);
  });

  it('choose the range with the least squared error over the sample, clipping extremes the sample rarely sees', function () {
    const squaredError = (vs: readonly number[], low: number, high: number): number => {
      const { scale, zeroPoint } = uint8Quantization(low, high);
      return vs.reduce((sum, v) => {
        const q = Math.min(255, Math.max(0, Math.round(v / scale) + zeroPoint));
        return sum + ((q - zeroPoint) * scale - v) ** 2;
      }, 0);
    };
    // Observed extremes (every value) far beyond the strided sample: they are clipped.
    const sample = Array.from(values(8000, 5));
    const [l, h] = minimumErrorRange(sample, -1, 4);
    assert.deepEqual([l, h], [-1, 1]);
    assert.ok(squaredError(sample, l, h) < squaredError(sample, -1, 4));
    const [l2, h2] = minimumErrorRange(sample, -3, 1);
    assert.ok(l2 > -1.1 && l2 < -0.99 && h2 === 1, `[${l2}, ${h2}]`);
    // Nothing to gain: the observed range stays.
    assert.deepEqual(minimumErrorRange(Array.from(values(5000, 9)), -1, 1), [-1, 1]);
  });
});
