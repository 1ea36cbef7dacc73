import assert from 'node:assert/strict';
import { writePlanar } from '../../src/faces/planarTensor.js';
import { regionMapping, warpMatrix } from '../../src/faces/regionMapping.js';
import { decodeUlfd } from '../../src/faces/ulfdDecoder.js';
import { ulfdBoxDecoder, ulfdPriorCount, ulfdPriors } from '../../src/faces/ulfdPriors.js';
import { warpAffine } from '../../src/image/warpAffine.js';
import { ModelSession } from '../../src/inference/modelSession.js';
import { float32Data } from '../../src/inference/tensorData.js';
import { loadManifest, modelEntry, preparedFile } from '../../src/models/manifest.js';
import { readVerified } from '../../src/models/verifiedFile.js';
import { modelsDir } from '../support/paths.js';
import { faceApiImage } from './faceTestSupport.js';

async function session(role: string): Promise<ModelSession> {
  const prepared = preparedFile(
    modelEntry(loadManifest(modelsDir), 'face_detector'),
    role,
    'face_detector',
  );
  return ModelSession.fromBytes(await readVerified(modelsDir, prepared), { intraOpThreads: 2 });
}

/** A face-api sample (whole photo) stretched to width x height: packed RGB bytes. */
async function pixels(width: number, height: number): Promise<Uint8Array> {
  const image = await faceApiImage(1);
  try {
    const box = { xmin: 0, ymin: 0, xmax: image.width, ymax: image.height };
    return warpAffine(image, warpMatrix(regionMapping(box, width, height, 'stretch')), {
      width,
      height,
      channels: 'rgb',
    });
  } finally {
    image.close();
  }
}

/** The exported graph's input: planar RGB (x-127)/128. */
function planar(bytes: Uint8Array, width: number, height: number): Float32Array {
  const data = new Float32Array(3 * width * height);
  writePlanar(bytes, 3, [127, 127, 127], [128, 128, 128], data, 0);
  return data;
}

/** Every prior's corner box, x1 y1 x2 y2 per prior, as the exported graph's `boxes` output. */
function decodeUlfdLocations(locations: Float32Array, priors: Float32Array): Float32Array {
  const decoder = ulfdBoxDecoder(locations, priors);
  const boxes = new Float32Array(locations.length);
  for (let k = 0; k < decoder.count; k++) {
    const b = decoder.at(k);
    boxes.set([b.xmin, b.ymin, b.xmax, b.ymax], 4 * k);
  }
  return boxes;
}

describe('ULFD for any input size (box decoding cut from the graph, priors in TypeScript)', function () {
  this.timeout(60_000);
  let fixed: ModelSession;
  let anySize: ModelSession;
  before(async () => {
    fixed = await session('onnx');
    anySize = await session('any_size');
  });
  after(async () => {
    await fixed.close();
    await anySize.close();
  });

  it("at 320x240 gives the exported graph's scores and boxes on a real photo", async () => {
    const bytes = await pixels(320, 240);
    const a = await fixed.run({
      input: { type: 'float32', data: planar(bytes, 320, 240), dims: [1, 3, 240, 320] },
    });
    // The any-size form takes the bytes themselves and normalises in the graph.
    const b = await anySize.run({ input: { type: 'uint8', data: bytes, dims: [1, 240, 320, 3] } });
    assert.equal(ulfdPriorCount(320, 240), 4420);
    const boxes = decodeUlfdLocations(float32Data(b.locations, 'locations'), ulfdPriors(320, 240));
    const expected = float32Data(a.boxes, 'boxes');
    const scoresA = float32Data(a.scores, 'scores');
    const scoresB = float32Data(b.scores, 'scores');
    let box = 0;
    let score = 0;
    for (let i = 0; i < boxes.length; i++) box = Math.max(box, Math.abs(boxes[i]! - expected[i]!));
    for (let i = 0; i < scoresA.length; i++)
      score = Math.max(score, Math.abs(scoresA[i]! - scoresB[i]!));
    // Measured: boxes 1.2e-7, scores 3.0e-7 (float rounding).
    assert.ok(box < 1e-5, `boxes differ by ${box}`);
    assert.ok(score < 1e-6, `scores differ by ${score}`);

    // Decoding only the priors NMS visits (measured: 21) gives the same faces as decoding all.
    const decoder = ulfdBoxDecoder(float32Data(b.locations, 'locations'), ulfdPriors(320, 240));
    let decoded = 0;
    const lazy = { count: decoder.count, at: (k: number) => (decoded++, decoder.at(k)) };
    const options = { scoreThreshold: 0.7, iouThreshold: 0.3, maxFaces: 16 };
    const faces = decodeUlfd(scoresB, lazy, options);
    assert.equal(faces.length, 3, 'the three faces of sample 1');
    assert.deepEqual(faces, decodeUlfd(scoresB, boxes, options));
    assert.ok(decoded < 100, `${decoded} of 4420 priors decoded`);
  });

  it('runs at other sizes, with as many priors as it has outputs', async () => {
    for (const [width, height] of [
      [160, 128],
      [96, 160],
      [48, 96],
    ] as const) {
      const out = await anySize.run({
        input: { type: 'uint8', data: await pixels(width, height), dims: [1, height, width, 3] },
      });
      const priors = ulfdPriorCount(width, height);
      assert.deepEqual(out.locations!.dims, [1, priors, 4], `${width}x${height}`);
      assert.equal(ulfdPriors(width, height).length, 4 * priors);
    }
    assert.throws(() => ulfdPriors(0, 10), /positive integers, got 0x10/);
  });
});
