import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ModelError } from '../../src/errors.js';
import { fetchTarball, readTarEntry } from '../../src/models/npmTarball.js';
import { loadManifest } from '../../src/models/manifest.js';
import {
  parseTflite,
  type TfliteModel,
  type TfliteOperator,
} from '../../src/models/tflite/tfliteModel.js';
import { convertSsdTflite } from '../../src/models/tflite/tfliteToOnnx.js';
import { readZipEntry } from '../../src/models/zipEntry.js';
import { modelsDir } from '../support/paths.js';

/** The real TFLite model, from the cached pinned tarball that `models prepare` fetched. */
async function realModel(): Promise<TfliteModel> {
  const manifest = loadManifest(modelsDir);
  const source = manifest.models.coco_detector?.sources.tflite;
  assert.ok(source?.zipEntry);
  const pin = manifest.tarballs[source.tarball];
  assert.ok(pin);
  const tarball = await fetchTarball(pin, path.join(modelsDir, '.cache'));
  const zip = await readTarEntry(tarball, source.path);
  return parseTflite(await readZipEntry(zip, source.zipEntry));
}

function refusal(pattern: RegExp): (e: unknown) => boolean {
  return (e) =>
    e instanceof ModelError && e.code === 'MODEL_UNSUPPORTED' && pattern.test(e.message);
}

describe('TFLite -> ONNX converter', function () {
  this.timeout(60_000);
  let model: TfliteModel;
  before(async () => {
    model = await realModel();
  });

  it('reads the model as measured: 99 ops of 7 kinds, uint8 input [1,300,300,3]', () => {
    const counts: Record<string, number> = {};
    for (const op of model.operators) counts[op.kind] = (counts[op.kind] ?? 0) + 1;
    assert.deepEqual(counts, {
      CONV_2D: 55,
      DEPTHWISE_CONV_2D: 17,
      ADD: 10,
      RESHAPE: 13,
      CONCATENATION: 2,
      LOGISTIC: 1,
      CUSTOM: 1,
    });
    const input = model.tensors[model.inputs[0] ?? -1];
    assert.deepEqual(input?.shape, [1, 300, 300, 3]);
    assert.deepEqual(input?.quantization?.zeroPoint, [128]);
  });

  it("extracts the post-process options and 1917 anchors from the model's custom op", () => {
    const converted = convertSsdTflite(model, { form: 'qdq' });
    assert.equal(converted.anchors.length, 1917 * 4);
    assert.deepEqual(
      {
        ...converted.postprocess,
        nmsIouThreshold: Number(converted.postprocess.nmsIouThreshold.toFixed(4)),
      },
      {
        maxDetections: 20,
        maxClassesPerDetection: 1,
        // Stored as 0 in this model; only per-class NMS uses it (SsdDetector then takes 100).
        detectionsPerClass: 0,
        useRegularNms: false,
        nmsScoreThreshold: converted.postprocess.nmsScoreThreshold,
        nmsIouThreshold: 0.6,
        numClasses: 90,
        yScale: 10,
        xScale: 10,
        hScale: 5,
        wScale: 5,
      },
    );
    assert.ok(converted.postprocess.nmsScoreThreshold < 1e-7);
  });

  it('is deterministic: the same bytes as the pinned prepared files', () => {
    const manifest = loadManifest(modelsDir);
    const outputs = manifest.models.coco_detector?.outputs;
    const qdq = convertSsdTflite(model, { form: 'qdq' }).onnx;
    const prepared = fs.readFileSync(path.join(modelsDir, outputs?.qdq?.file ?? ''));
    assert.ok(Buffer.from(qdq).equals(prepared));
    const qdqS8 = convertSsdTflite(model, { form: 'qdq_s8' }).onnx;
    assert.ok(
      Buffer.from(qdqS8).equals(fs.readFileSync(path.join(modelsDir, outputs?.qdq_s8?.file ?? ''))),
    );
  });

  const mutate = (change: (ops: TfliteOperator[], m: TfliteModel) => void): TfliteModel => {
    const copy: TfliteModel = {
      ...model,
      operators: model.operators.map((op) => ({ ...op })),
      tensors: model.tensors.map((t) => ({ ...t })),
    };
    change(copy.operators, copy);
    return copy;
  };

  it('refuses an op it does not know, naming the op and its output tensor', () => {
    const bad = mutate((ops) => {
      const op = ops[5];
      assert.ok(op);
      ops[5] = { kind: 'UNSUPPORTED', name: 'HARD_SWISH', inputs: op.inputs, outputs: op.outputs };
    });
    assert.throws(
      () => convertSsdTflite(bad, { form: 'qdq' }),
      refusal(/op HARD_SWISH \(output '.+'\) is not supported/),
    );
  });

  it('refuses per-channel quantization, naming the tensor', () => {
    const bad = mutate((ops, m) => {
      const weights = m.tensors[ops[0]?.inputs[1] ?? -1];
      assert.ok(weights?.quantization);
      m.tensors[weights.index] = {
        ...weights,
        quantization: { ...weights.quantization, scale: [0.1, 0.2] },
      };
    });
    assert.throws(
      () => convertSsdTflite(bad, { form: 'qdq' }),
      refusal(/tensor '.+' uses per-channel quantization \(2 scales\)/),
    );
  });

  it('refuses a custom op other than the detection post-process', () => {
    const bad = mutate((ops) => {
      const op = ops[3];
      assert.ok(op);
      ops[3] = {
        kind: 'CUSTOM',
        customCode: 'MyCustomOp',
        inputs: op.inputs,
        outputs: op.outputs,
        customOptions: undefined,
      };
    });
    assert.throws(
      () => convertSsdTflite(bad, { form: 'float' }),
      refusal(/custom op 'MyCustomOp'/),
    );
  });

  it('refuses a fused activation it does not handle', () => {
    const bad = mutate((ops) => {
      const index = ops.findIndex((op) => op.kind === 'ADD');
      const op = ops[index];
      assert.ok(op?.kind === 'ADD');
      ops[index] = { ...op, activation: 'TANH' };
    });
    assert.throws(
      () => convertSsdTflite(bad, { form: 'qdq' }),
      refusal(/fused activation TANH on ADD/),
    );
  });

  it('refuses bytes that are not a TFLite model', () => {
    assert.throws(
      () => parseTflite(new TextEncoder().encode('this is not a flatbuffer at all'), 'junk.tflite'),
      (e: unknown) =>
        e instanceof ModelError &&
        e.code === 'MODEL_CORRUPT' &&
        /junk.tflite is not a TFLite model/.test(e.message),
    );
  });
});
