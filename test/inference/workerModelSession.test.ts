import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { ModelError } from '../../src/errors.js';
import { ModelSession } from '../../src/inference/modelSession.js';
import { WorkerModelSession } from '../../src/inference/workerModelSession.js';
import type { TensorData } from '../../src/inference/tensorData.js';
import { WORKER_FAULT_ENV } from '../../src/inference/workerProtocol.js';
import { modelsDir, repoRoot } from '../support/paths.js';

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

  it('with transferInputs moves whole input buffers to the worker (detached here) and copies views; outputs as asked', async function () {
    const worker = await WorkerModelSession.create(detector, { intraOpThreads: 2 });
    try {
      const copy = image(4);
      const expected = await worker.run(copy, ['best_scores']);
      assert.deepEqual(Object.keys(expected), ['best_scores']);

      const moved = image(4);
      const result = await worker.run(moved, ['best_scores'], { transferInputs: true });
      assert.equal(moved.image!.data.length, 0, 'the buffer went to the worker');
      assert.deepEqual(result.best_scores!.data, expected.best_scores!.data);

      // A view into a larger buffer would take the rest of the buffer along: copied instead.
      const larger = new Uint8Array(300 * 300 * 3 + 16);
      larger.set(copy.image!.data as Uint8Array, 16);
      const view = larger.subarray(16);
      const fromView = await worker.run(
        { image: { type: 'uint8', data: view, dims: [1, 300, 300, 3] } },
        ['best_scores'],
        { transferInputs: true },
      );
      assert.equal(view.length, 300 * 300 * 3, 'a view is copied, not moved');
      assert.deepEqual(fromView.best_scores!.data, expected.best_scores!.data);
    } finally {
      await worker.close();
    }
  });

  it('close() with a run in flight keeps the process alive until the worker has exited', () => {
    // In a process of its own: nothing else (like mocha's timers) may keep the event loop alive.
    // The run's result used to un-reference the worker that close() was waiting for, and the
    // process then ended silently in the middle of close().
    const script = `
      import { WorkerModelSession } from ${JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist/src/inference/workerModelSession.js')).href)};
      const session = await WorkerModelSession.create(${JSON.stringify(detector)}, { intraOpThreads: 1 });
      const feeds = { image: { type: 'uint8', data: new Uint8Array(270000), dims: [1, 300, 300, 3] } };
      const runs = [session.run(feeds), session.run(feeds)];
      await new Promise((resolve) => setTimeout(resolve, 5)); // the first run is under way
      await session.close();
      await Promise.allSettled(runs);
      process.stdout.write('closed');
    `;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-close-'));
    try {
      fs.writeFileSync(path.join(dir, 'close.mjs'), script);
      const child = spawnSync(process.execPath, [path.join(dir, 'close.mjs')], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(child.stdout, 'closed', child.stderr);
      assert.equal(child.status, 0, child.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
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

  for (const [fault, pattern] of [
    [
      'exit:2',
      /inference thread of .*coco_ssd_mobilenet_v2\.qdq\.onnx exited unexpectedly \(exit code 70\)/,
    ],
    ['throw:2', /inference thread of .*coco_ssd_mobilenet_v2\.qdq\.onnx died \(injected fault/],
  ] as const) {
    it(`a thread that dies (${fault}) fails the waiting and every later run with the fatal WORKER_DIED; close() still returns`, async function () {
      process.env[WORKER_FAULT_ENV] = fault;
      let worker: WorkerModelSession;
      try {
        worker = await WorkerModelSession.create(detector, { intraOpThreads: 1 });
      } finally {
        // The thread took its copy of the environment when it started.
        delete process.env[WORKER_FAULT_ENV];
      }
      const died = (e: unknown): boolean =>
        e instanceof ModelError && e.code === 'WORKER_DIED' && e.fatal && pattern.test(e.message);
      try {
        assert.ok((await worker.run(image(1))).class_scores !== undefined, 'the first run works');
        await assert.rejects(worker.run(image(2)), died);
        await assert.rejects(worker.run(image(3)), died);
      } finally {
        await worker.close();
      }
    });
  }

  it('a run after close() is the fatal SESSION_UNUSABLE, on a worker and on this thread', async function () {
    const worker = await WorkerModelSession.create(detector, { intraOpThreads: 1 });
    const main = await ModelSession.create(detector, { intraOpThreads: 1 });
    await Promise.all([worker.close(), main.close()]);
    for (const session of [worker, main]) {
      await assert.rejects(
        session.run(image(1)),
        (e: unknown) => e instanceof ModelError && e.code === 'SESSION_UNUSABLE' && e.fatal,
      );
    }
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
