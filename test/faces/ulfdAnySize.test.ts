import assert from 'node:assert/strict';
import { writePlanar } from '../../src/faces/planarTensor.js';
import { regionMapping, warpMatrix } from '../../src/faces/regionMapping.js';
import { decodeUlfdLocations, ulfdPriorCount, ulfdPriors } from '../../src/faces/ulfdPriors.js';
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

/** A face-api sample (whole photo) stretched to width x height, RGB (x-127)/128. */
async function input(width: number, height: number): Promise<Float32Array> {
  const image = await faceApiImage(1);
  try {
    const box = { xmin: 0, ymin: 0, xmax: image.width, ymax: image.height };
    const pixels = warpAffine(image, warpMatrix(regionMapping(box, width, height, 'stretch')), {
      width,
      height,
      channels: 'rgb',
    });
    const data = new Float32Array(3 * width * height);
    writePlanar(pixels, 3, [127, 127, 127], [128, 128, 128], data, 0);
    return data;
  } finally {
    image.close();
  }
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
    const data = await input(320, 240);
    const feeds = { input: { type: 'float32' as const, data, dims: [1, 3, 240, 320] } };
    const a = await fixed.run(feeds);
    const b = await anySize.run(feeds);
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
    // Measured: 1.2e-7 for both (float rounding).
    assert.ok(box < 1e-5, `boxes differ by ${box}`);
    assert.ok(score < 1e-6, `scores differ by ${score}`);
  });

  it('runs at other sizes, with as many priors as it has outputs', async () => {
    for (const [width, height] of [
      [160, 128],
      [96, 160],
      [48, 96],
    ] as const) {
      const out = await anySize.run({
        input: { type: 'float32', data: await input(width, height), dims: [1, 3, height, width] },
      });
      const priors = ulfdPriorCount(width, height);
      assert.deepEqual(out.locations!.dims, [1, priors, 4], `${width}x${height}`);
      assert.equal(ulfdPriors(width, height).length, 4 * priors);
    }
    assert.throws(() => ulfdPriors(0, 10), /positive integers, got 0x10/);
  });
});
