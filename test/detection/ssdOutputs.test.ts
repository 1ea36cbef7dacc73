import assert from 'node:assert/strict';
import path from 'node:path';
import { SsdDetector } from '../../src/detection/ssdDetector.js';
import cv from '../../src/image/cv.js';
import { ModelSession } from '../../src/inference/modelSession.js';
import { float32Data, int32Data } from '../../src/inference/tensorData.js';
import { fixturesDir, modelsDir } from '../support/paths.js';

/** The 300x300 RGB bytes of a test photo, stretched as the pipeline does. */
function input(image: string): Uint8Array {
  const bgr = cv.imread(path.join(fixturesDir, 'images', image));
  const small = bgr.resize(300, 300, 0, 0, cv.INTER_LINEAR);
  const rgb = small.cvtColor(cv.COLOR_BGR2RGB);
  const bytes = new Uint8Array(rgb.getData());
  for (const m of [bgr, small, rgb]) m.release();
  return bytes;
}

describe("SSD model's best-class outputs", function () {
  this.timeout(60_000);

  for (const form of ['qdq', 'float'] as const) {
    it(`equal the max and first argmax over the class columns of class_scores (${form} model)`, async () => {
      const session = await ModelSession.create(
        path.join(modelsDir, `coco_ssd_mobilenet_v2.${form}.onnx`),
        { intraOpThreads: 1 },
      );
      try {
        for (const image of ['astronaut.jpg', 'chelsea.jpg', 'coffee.jpg']) {
          const out = await session.run({
            image: { type: 'uint8', data: input(image), dims: [1, 300, 300, 3] },
          });
          const scores = float32Data(out.class_scores, 'class_scores');
          const best = float32Data(out.best_scores, 'best_scores');
          const classes = int32Data(out.best_classes, 'best_classes');
          const columns = scores.length / best.length;
          assert.equal(columns, 91);
          for (let i = 0; i < best.length; i++) {
            const row: number[] = Array.from(scores.subarray(i * columns + 1, (i + 1) * columns));
            const max = Math.max(...row);
            assert.equal(best[i], max, `${image} anchor ${i}: best score`);
            assert.equal(classes[i], row.indexOf(max), `${image} anchor ${i}: best class`);
          }
        }
      } finally {
        await session.close();
      }
    });
  }

  it('give the detector the same detections as decoding the whole score matrix; per-class NMS fetches the matrix', async () => {
    const agnostic = await SsdDetector.create({ modelsDir, thread: 'main' });
    const perClass = await SsdDetector.create({
      modelsDir,
      thread: 'main',
      decoder: { nms: 'per-class' },
    });
    try {
      const rgb = input('astronaut.jpg');
      const best = await agnostic.infer(rgb);
      const all = await perClass.infer(rgb);
      assert.equal(best.kind, 'best');
      assert.equal(all.kind, 'all');
      // Class-agnostic NMS from the best classes, and from the whole matrix: identical.
      const fromBest = agnostic.decode(best);
      assert.ok(fromBest.some((d) => agnostic.labels.name(d.classIndex) === 'person'));
      assert.deepEqual(agnostic.decode(all), fromBest);
      assert.deepEqual(await agnostic.detect(rgb), fromBest);
      // Per-class NMS cannot work from the best classes, and says so.
      assert.throws(() => perClass.decode(best), /per-class NMS needs every class's score/);
      const perClassDetections = await perClass.detect(rgb);
      assert.ok(perClassDetections.some((d) => perClass.labels.name(d.classIndex) === 'person'));
      // Switched at run time: the detector fetches what the new setting needs.
      agnostic.configure({ nms: 'per-class' });
      assert.deepEqual(await agnostic.detect(rgb), perClassDetections);
    } finally {
      await agnostic.close();
      await perClass.close();
    }
  });
});
