import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModelError } from '../../src/errors.js';
import { ModelSession } from '../../src/inference/modelSession.js';
import { WorkerModelSession } from '../../src/inference/workerModelSession.js';
import type { TensorData } from '../../src/inference/tensorData.js';
import { modelsDir } from '../support/paths.js';

const detector = path.join(modelsDir, 'coco_ssd_mobilenet_v2.qdq.onnx');

function image(seed: number): Record<string, TensorData> {
  const data = new Uint8Array(300 * 300 * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + seed * 17) & 0xff;
  return { image: { type: 'uint8', data, dims: [1, 300, 300, 3] } };
}

describe('WorkerModelSession (a model on its own thread)', function () {
  this.timeout(60_000);

  it('gives the same outputs as a session on this thread, in call order, and leaves the input intact', async function () {
    const main = await ModelSession.create(detector, { intraOpThreads: 2 });
    const worker = await WorkerModelSession.create(detector, { intraOpThreads: 2 });
    try {
      assert.deepEqual(worker.inputs, main.inputs);
      assert.deepEqual(worker.outputs, main.outputs);
      assert.equal(worker.providerReport.active.kind, 'cpu');
      const feeds = [image(1), image(2), image(3)];
      const before = Uint8Array.from(feeds[0]!.image!.data as Uint8Array);
      const fromWorker = await Promise.all(feeds.map((f) => worker.run(f)));
      assert.deepEqual(feeds[0]!.image!.data, before, 'the caller keeps its input');
      for (const [i, f] of feeds.entries()) {
        const expected = await main.run(f);
        assert.deepEqual(Object.keys(fromWorker[i]!).sort(), Object.keys(expected).sort());
        for (const name of Object.keys(expected)) {
          assert.deepEqual(fromWorker[i]![name]!.dims, expected[name]!.dims);
          assert.deepEqual(
            fromWorker[i]![name]!.data,
            expected[name]!.data,
            `${name} of input ${i}`,
          );
        }
      }
    } finally {
      await Promise.all([main.close(), worker.close()]);
    }
  });

  it('a failed run rejects with its reason and the session goes on; after close() runs are refused', async function () {
    const worker = await WorkerModelSession.create(detector, { intraOpThreads: 1 });
    await assert.rejects(
      worker.run({ nope: { type: 'uint8', data: new Uint8Array(3), dims: [3] } }),
      /nope|input/i,
    );
    const out = await worker.run(image(4));
    assert.ok(out.class_scores !== undefined && out.box_encodings !== undefined);
    await worker.close();
    await worker.close();
    await assert.rejects(worker.run(image(5)), /is closed/);
  });

  it('loading errors are the same ModelErrors as on this thread: missing file, not a model', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-session-'));
    try {
      await assert.rejects(
        WorkerModelSession.create(path.join(dir, 'missing.onnx'), { label: 'missing model' }),
        (e: unknown) =>
          e instanceof ModelError &&
          e.code === 'MODEL_MISSING' &&
          /missing model: model file .*missing\.onnx cannot be read/.test(e.message),
      );
      const garbage = path.join(dir, 'garbage.onnx');
      fs.writeFileSync(garbage, 'not a model');
      await assert.rejects(
        WorkerModelSession.create(garbage, { label: 'garbage' }),
        (e: unknown) =>
          e instanceof ModelError &&
          e.code === 'MODEL_CORRUPT' &&
          /garbage: onnxruntime cannot load/.test(e.message),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
