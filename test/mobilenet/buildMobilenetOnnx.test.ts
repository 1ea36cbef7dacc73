import assert from 'node:assert/strict';
import onnxProto from 'onnx-proto';
import { ModelSession } from '../../src/inference/modelSession.js';
import { float32Data } from '../../src/inference/tensorData.js';
import { OnnxDataType, OnnxGraphBuilder, attr } from '../../src/models/onnx/onnxGraphBuilder.js';
import {
  buildMobilenetOnnx,
  type MobilenetOnnxModel,
} from '../../src/mobilenet/buildMobilenetOnnx.js';
import { foldBatchNorm } from '../../src/mobilenet/foldBatchNorm.js';
import { mobilenetCost } from '../../src/mobilenet/mobilenetCost.js';
import { mobilenetV1, type MobilenetV1Options } from '../../src/mobilenet/mobilenetV1.js';
import { SeededRandom } from '../../src/mobilenet/seededRandom.js';

const { onnx } = onnxProto;

/** Decodes the model bytes independently of the builder and counts what the graph holds. */
function inspect(bytes: Uint8Array): { initializers: Map<string, number>; ops: string[] } {
  const model = onnx.ModelProto.decode(bytes);
  const initializers = new Map<string, number>();
  for (const t of model.graph?.initializer ?? []) {
    const elements = (t.dims ?? []).reduce<number>(
      (a, d) => a * (typeof d === 'number' ? d : Number(String(d))),
      1,
    );
    initializers.set(t.name ?? '', elements);
  }
  return { initializers, ops: (model.graph?.node ?? []).map((n) => n.opType ?? '') };
}

async function runOnce(
  model: MobilenetOnnxModel,
): Promise<{ dims: readonly number[]; probabilities: Float32Array }> {
  const session = await ModelSession.fromBytes(model.bytes, {
    intraOpThreads: 2,
    label: 'test MobileNet',
  });
  try {
    const count = model.inputShape.reduce((a, b) => a * b, 1);
    const outputs = await session.run({
      [model.inputName]: {
        type: 'float32',
        data: new SeededRandom(5).uniforms(count, -1, 1),
        dims: model.inputShape,
      },
    });
    const output = outputs[model.outputName];
    return { dims: output?.dims ?? [], probabilities: float32Data(output, model.outputName) };
  } finally {
    await session.close();
  }
}

describe('buildMobilenetOnnx', () => {
  const cases: MobilenetV1Options[] = [
    { alpha: 0.25, resolution: 64 },
    { alpha: 0.25, resolution: 64, convolution: 'standard' },
    { alpha: 0.5, resolution: 96 },
  ];
  for (const options of cases) {
    const name = `${options.alpha}-${options.resolution} ${options.convolution ?? 'separable'}`;

    it(`${name}: holds exactly the cost model's parameters plus the folded biases, and no BatchNorm`, () => {
      const architecture = mobilenetV1(options);
      const model = buildMobilenetOnnx(architecture);
      const { totals } = mobilenetCost(architecture);
      const { initializers, ops } = inspect(model.bytes);
      const count = (suffix: string): number =>
        [...initializers].filter(([n]) => n.endsWith(suffix)).reduce((a, [, e]) => a + e, 0);
      assert.equal(count('_weight'), totals.parameters);
      assert.equal(count('_bias'), totals.biases);
      assert.equal(
        [...initializers.values()].reduce((a, b) => a + b, 0),
        totals.parameters + totals.biases,
      );
      assert.equal(model.weightCount, totals.parameters);
      assert.equal(model.biasCount, totals.biases);
      assert.ok(!ops.includes('BatchNormalization'));
      assert.equal(
        ops.filter((op) => op === 'Conv').length,
        architecture.layers.filter(
          (l) => l.kind !== 'avgpool' && l.kind !== 'fc' && l.kind !== 'softmax',
        ).length,
      );
    });

    it(`${name}: runs in ONNX Runtime to [1, 1000] probabilities that sum to 1`, async () => {
      const { dims, probabilities } = await runOnce(buildMobilenetOnnx(mobilenetV1(options)));
      assert.deepEqual(dims, [1, 1000]);
      assert.ok(probabilities.every((p) => Number.isFinite(p) && p >= 0));
      const sum = probabilities.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-4, `sum ${sum}`);
      // Untrained but not degenerate: the classes are not all equally likely.
      assert.ok(Math.max(...probabilities) > 1.5 * Math.min(...probabilities));
    });
  }

  it('agrees with the cost model at the full 1.0-224 size', () => {
    const architecture = mobilenetV1();
    const model = buildMobilenetOnnx(architecture);
    const { initializers } = inspect(model.bytes);
    assert.equal(
      [...initializers.values()].reduce((a, b) => a + b, 0),
      4_209_088 + 11_944,
    );
  });

  it('writes ReLU6 as Clip with two scalar bounds that are not parameters', async () => {
    const architecture = mobilenetV1({ alpha: 0.25, resolution: 32, classes: 10 });
    const model = buildMobilenetOnnx(architecture, { activation: 'relu6' });
    const { initializers, ops } = inspect(model.bytes);
    assert.ok(ops.includes('Clip') && !ops.includes('Relu'));
    assert.equal(initializers.get('relu6_min'), 1);
    assert.equal(initializers.get('relu6_max'), 1);
    const { totals } = mobilenetCost(architecture);
    assert.equal(
      [...initializers.values()].reduce((a, b) => a + b, 0),
      totals.parameters + totals.biases + 2,
    );
    const { dims } = await runOnce(model);
    assert.deepEqual(dims, [1, 10]);
  });

  it('is deterministic: the same seed gives the same bytes, another seed other weights', () => {
    const architecture = mobilenetV1({ alpha: 0.25, resolution: 32 });
    const a = buildMobilenetOnnx(architecture, { seed: 3 }).bytes;
    assert.deepEqual(buildMobilenetOnnx(architecture, { seed: 3 }).bytes, a);
    assert.notDeepEqual(buildMobilenetOnnx(architecture, { seed: 4 }).bytes, a);
    assert.throws(
      () => buildMobilenetOnnx(architecture, { seed: -1 }),
      /'seed' must be a non-negative integer, got -1/,
    );
  });
});

describe('BatchNorm folding in ONNX Runtime', () => {
  // The same convolution + BatchNorm written unfolded (Conv then BatchNormalization) and folded
  // (Conv with the folded weights and bias) must give the same output.
  for (const depthwise of [false, true]) {
    it(`matches an unfolded ${depthwise ? 'depthwise ' : ''}Conv + BatchNormalization`, async () => {
      const channels = 4;
      const out = depthwise ? channels : 6;
      const random = new SeededRandom(11);
      const weights = random.normals(out * (depthwise ? 1 : channels) * 9, 0, 0.5);
      const bn = {
        gamma: random.uniforms(out, 0.5, 1.5),
        beta: random.normals(out, 0, 0.5),
        mean: random.normals(out, 0, 0.5),
        variance: random.uniforms(out, 0.5, 1.5),
        epsilon: 0.001,
      };
      const dims = [out, depthwise ? 1 : channels, 3, 3];
      const convAttrs = {
        kernel_shape: attr.ints([3, 3]),
        pads: attr.ints([1, 1, 1, 1]),
        group: attr.int(depthwise ? channels : 1),
      };
      const graph = (folded: boolean): Uint8Array => {
        const g = new OnnxGraphBuilder('bn');
        g.addInput('x', OnnxDataType.float, [1, channels, 8, 8]);
        if (folded) {
          const f = foldBatchNorm(weights, bn);
          g.addInitializer('w', OnnxDataType.float, dims, f.weights);
          g.addInitializer('b', OnnxDataType.float, [out], f.bias);
          g.addNode('Conv', ['x', 'w', 'b'], ['y'], convAttrs);
        } else {
          g.addInitializer('w', OnnxDataType.float, dims, weights);
          for (const key of ['gamma', 'beta', 'mean', 'variance'] as const) {
            g.addInitializer(key, OnnxDataType.float, [out], bn[key]);
          }
          g.addNode('Conv', ['x', 'w'], ['c'], convAttrs);
          g.addNode('BatchNormalization', ['c', 'gamma', 'beta', 'mean', 'variance'], ['y'], {
            epsilon: attr.float(bn.epsilon),
          });
        }
        g.addOutput('y', OnnxDataType.float, [1, out, 8, 8]);
        return g.toBytes();
      };
      const input = {
        type: 'float32' as const,
        data: new SeededRandom(12).uniforms(channels * 64, -1, 1),
        dims: [1, channels, 8, 8],
      };
      const results: Float32Array[] = [];
      for (const folded of [false, true]) {
        const session = await ModelSession.fromBytes(graph(folded), { intraOpThreads: 1 });
        try {
          results.push(float32Data((await session.run({ x: input })).y, 'y'));
        } finally {
          await session.close();
        }
      }
      const [unfolded, folded] = results;
      assert.ok(unfolded && folded && unfolded.length === out * 64);
      for (let i = 0; i < unfolded.length; i++) {
        assert.ok(
          Math.abs((unfolded[i] ?? 0) - (folded[i] ?? 0)) < 1e-4,
          `element ${i}: ${unfolded[i]} vs ${folded[i]}`,
        );
      }
    });
  }
});
