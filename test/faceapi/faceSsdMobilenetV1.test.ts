import assert from 'node:assert/strict';
import {
  decodeSsdFaces,
  SSD_FACE_DEFAULTS,
  SSD_FACE_INPUT_SIZE,
  ssdSquareRegion,
  type SsdFace,
} from '../../src/faces/ssdFaceDecoder.js';
import { writePlanar } from '../../src/faces/planarTensor.js';
import { regionMapping, warpMatrix } from '../../src/faces/regionMapping.js';
import { warpAffine } from '../../src/image/warpAffine.js';
import { ModelSession } from '../../src/inference/modelSession.js';
import type { TensorData } from '../../src/inference/tensorData.js';
import { iou, type Box } from '../../src/postprocess/box.js';
import {
  buildFaceSsdMobilenetV1Onnx,
  FACE_SSD_MOBILENETV1,
} from '../../src/models/tfjs/faceApiSsdMobilenetV1.js';
import { FACE_API_FACE_COUNTS, faceApiImage } from '../faces/faceTestSupport.js';
import { faceApi, faceApiWeightMap, faceApiWeights, type FaceApi } from './faceApiOracle.js';

const SIZE = SSD_FACE_INPUT_SIZE;
const ANCHORS = FACE_SSD_MOBILENETV1.anchors;

/**
 * Faces found at score 0.5 in the six samples: all 22, as measured. The weakest of them scores
 * 0.58 (sample 3, left), the strongest non-face anchor left after NMS 0.08.
 */
const RECALL_AT_HALF = 22;

/**
 * Measured against face-api's TF.js CPU backend: at most 8.4e-7 on scores, 1.7e-6 on box
 * corners (normalised), samples 1-3; the bounds leave room for other CPUs' float sums.
 */
const RAW_TOLERANCE = 1e-5;

/** A face-api sample as the detector sees it: padded to a square at the bottom, 512x512 RGB. */
interface Sample {
  readonly n: number;
  readonly width: number;
  readonly height: number;
  /** 512 x 512 x 3 RGB bytes. */
  readonly pixels: Uint8Array;
  /** The whole photo, H x W x 3 RGB bytes (for face-api's own padding and resize). */
  readonly full: Uint8Array;
}

async function loadSample(n: number): Promise<Sample> {
  const image = await faceApiImage(n);
  try {
    const { width, height } = image;
    const square = regionMapping(ssdSquareRegion(width, height), SIZE, SIZE, 'stretch');
    const pixels = warpAffine(image, warpMatrix(square), {
      width: SIZE,
      height: SIZE,
      channels: 'rgb',
      borderValue: 0,
    });
    const full = warpAffine(image, [1, 0, 0, 0, 1, 0], { width, height, channels: 'rgb' });
    return { n, width, height, pixels, full };
  } finally {
    image.close();
  }
}

/** Our input tensor for several samples: [batch, 3, 512, 512] RGB 0..255. */
function inputOf(samples: readonly Sample[]): TensorData {
  const plane = 3 * SIZE * SIZE;
  const data = new Float32Array(samples.length * plane);
  samples.forEach((s, i) => writePlanar(s.pixels, 3, [0, 0, 0], [1, 1, 1], data, i * plane));
  return { type: 'float32', data, dims: [samples.length, 3, SIZE, SIZE] };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** face-api's detections as our faces: normalised xmin, ymin, xmax, ymax of its input. */
function theirFaces(detections: any[]): SsdFace[] {
  return detections.map((d) => {
    const r = d.relativeBox;
    return {
      score: d.score,
      box: { xmin: r.x, ymin: r.y, xmax: r.x + r.width, ymax: r.y + r.height },
    };
  });
}

function boxDiff(a: Box, b: Box): number {
  return Math.max(
    Math.abs(a.xmin - b.xmin),
    Math.abs(a.ymin - b.ymin),
    Math.abs(a.xmax - b.xmax),
    Math.abs(a.ymax - b.ymax),
  );
}

describe('face-api SSD MobileNetV1 face detector as ONNX', function () {
  this.timeout(600_000);
  let api: FaceApi;
  let net: any;
  let session: ModelSession;
  let onnx: Uint8Array;
  const samples = new Map<number, Sample>();
  /** Our outputs per sample (single runs). */
  const ours = new Map<number, { scores: Float32Array; boxes: Float32Array }>();

  before(async function () {
    api = await faceApi();
    net = api.nets.ssdMobilenetv1;
    await net.loadFromWeightMap(await faceApiWeightMap('ssd_mobilenetv1'));
    onnx = buildFaceSsdMobilenetV1Onnx(await faceApiWeights('ssd_mobilenetv1'));
    session = await ModelSession.fromBytes(onnx, { intraOpThreads: 2, label: 'face-api ssd' });
    for (const n of Object.keys(FACE_API_FACE_COUNTS).map(Number)) {
      const sample = await loadSample(n);
      samples.set(n, sample);
      const out = await session.run({ input: inputOf([sample]) });
      assert.deepEqual(out.scores!.dims, [1, ANCHORS]);
      assert.deepEqual(out.boxes!.dims, [1, ANCHORS, 4]);
      ours.set(n, {
        scores: out.scores!.data as Float32Array,
        boxes: out.boxes!.data as Float32Array,
      });
    }
  });
  after(async function () {
    await session?.close();
  });

  /** face-api's tensor of a sample's 512x512 input, exactly the bytes we feed. */
  const theirInput = (s: Sample): unknown =>
    api.tf.tensor4d(Float32Array.from(s.pixels), [1, SIZE, SIZE, 3]);

  it('raw scores and decoded boxes of all 5118 anchors match face-api’s forward pass on samples 1-3', async function () {
    for (const n of [1, 2, 3]) {
      const input = theirInput(samples.get(n)!);
      const { boxes, scores } = await net.forward(input);
      const theirScores = scores[0].dataSync() as Float32Array;
      const theirBoxes = boxes[0].dataSync() as Float32Array;
      api.tf.dispose([input, ...boxes, ...scores]);
      const mine = ours.get(n)!;
      const ds = maxAbsDiff(mine.scores, theirScores);
      const db = maxAbsDiff(mine.boxes, theirBoxes);
      console.log(
        `      sample${n}: max |Δscore| ${ds.toExponential(2)}, max |Δbox| ${db.toExponential(2)}`,
      );
      assert.ok(ds <= RAW_TOLERANCE, `sample${n}: scores differ by ${ds}`);
      assert.ok(db <= RAW_TOLERANCE, `sample${n}: boxes differ by ${db}`);
    }
  });

  it('decoded faces equal face-api’s locateFaces on the same 512x512 inputs (samples 1-6)', async function () {
    for (const [n, s] of samples) {
      const input = theirInput(s);
      const theirs = theirFaces(
        await net.locateFaces(input, { minConfidence: 0.5, maxResults: 100 }),
      );
      api.tf.dispose(input);
      const mine = decodeSsdFaces(ours.get(n)!.scores, ours.get(n)!.boxes, SIZE, SIZE);
      assert.equal(mine.length, theirs.length, `sample${n}: face count`);
      let worst = 0;
      mine.forEach((f, i) => {
        worst = Math.max(
          worst,
          boxDiff(f.box, theirs[i]!.box),
          Math.abs(f.score - theirs[i]!.score),
        );
      });
      console.log(
        `      sample${n}: ${mine.length} faces, max |Δ| box/score ${worst.toExponential(2)}`,
      );
      assert.ok(worst <= RAW_TOLERANCE, `sample${n}: faces differ by ${worst}`);
    }
  });

  it('maps boxes back to the photo as face-api does from the full-size photo (its own padding and resize)', async function () {
    let worst = 0;
    for (const n of [1, 6]) {
      const s = samples.get(n)!;
      const input = api.tf.tensor4d(Float32Array.from(s.full), [1, s.height, s.width, 3]);
      const theirs = theirFaces(
        await net.locateFaces(input, { minConfidence: 0.5, maxResults: 100 }),
      );
      api.tf.dispose(input);
      const mine = decodeSsdFaces(ours.get(n)!.scores, ours.get(n)!.boxes, s.width, s.height);
      // OpenCV's bilinear resize (pixel centres) and TF.js's (corners, no half-pixel offset)
      // differ slightly: faces are matched by overlap; measured 3.6e-3 at most.
      assert.equal(mine.length, theirs.length, `sample${n}: face count`);
      for (const f of theirs) {
        const best = mine.reduce((a, b) => (iou(a.box, f.box) >= iou(b.box, f.box) ? a : b));
        assert.ok(iou(best.box, f.box) > 0.9, `sample${n}: a face-api face has no match`);
        worst = Math.max(worst, boxDiff(best.box, f.box));
      }
    }
    console.log(
      `      full-size photos: max |Δbox| ${worst.toExponential(2)} (of the photo’s width/height)`,
    );
    assert.ok(worst <= 1e-2);
  });

  it('a batch of 3 equals three single runs', async function () {
    const batch = [1, 4, 6].map((n) => samples.get(n)!);
    const out = await session.run({ input: inputOf(batch) });
    assert.deepEqual(out.scores!.dims, [3, ANCHORS]);
    assert.deepEqual(out.boxes!.dims, [3, ANCHORS, 4]);
    batch.forEach((s, i) => {
      const one = ours.get(s.n)!;
      const scores = (out.scores!.data as Float32Array).subarray(i * ANCHORS, (i + 1) * ANCHORS);
      const boxes = (out.boxes!.data as Float32Array).subarray(
        i * ANCHORS * 4,
        (i + 1) * ANCHORS * 4,
      );
      assert.ok(maxAbsDiff(scores, one.scores) <= 1e-5, `item ${i}: scores`);
      assert.ok(maxAbsDiff(boxes, one.boxes) <= 1e-5, `item ${i}: boxes`);
    });
  });

  it('finds the hand-counted faces of the six face-api samples at score 0.5', function () {
    let found = 0;
    let extra = 0;
    const perSample: string[] = [];
    for (const [n, s] of samples) {
      const faces = decodeSsdFaces(ours.get(n)!.scores, ours.get(n)!.boxes, s.width, s.height);
      const expected = FACE_API_FACE_COUNTS[n]!;
      found += Math.min(faces.length, expected);
      extra += Math.max(0, faces.length - expected);
      perSample.push(`${n}:${faces.length}/${expected}`);
      for (const f of faces) {
        const { xmin, ymin, xmax, ymax } = f.box;
        assert.ok(0 <= xmin && xmin < xmax && xmax <= 1 && 0 <= ymin && ymin < ymax && ymax <= 1);
      }
    }
    console.log(`      recall ${found}/22, ${extra} extra (per sample ${perSample.join(' ')})`);
    assert.ok(found >= RECALL_AT_HALF, `found ${found} of 22 faces`);
    assert.equal(extra, 0);
  });
});

describe('decodeSsdFaces', function () {
  const box = (ymin: number, xmin: number, ymax: number, xmax: number): number[] => [
    ymin,
    xmin,
    ymax,
    xmax,
  ];

  it('keeps scores strictly above the threshold, suppresses overlaps above the IoU threshold', function () {
    const scores = Float32Array.of(0.9, 0.8, 0.5, 0.7);
    const boxes = Float32Array.from([
      ...box(0.1, 0.1, 0.3, 0.3),
      ...box(0.11, 0.1, 0.31, 0.3), // IoU ~0.9 with the first
      ...box(0.6, 0.6, 0.8, 0.8), // exactly at the threshold
      ...box(0.1, 0.5, 0.3, 0.7),
    ]);
    const faces = decodeSsdFaces(scores, boxes, 100, 100);
    assert.deepEqual(
      faces.map((f) => f.score),
      [scores[0], scores[3]],
    );
    assert.equal(
      decodeSsdFaces(scores, boxes, 100, 100, { ...SSD_FACE_DEFAULTS, iouThreshold: 0.95 }).length,
      3,
    );
    assert.equal(
      decodeSsdFaces(scores, boxes, 100, 100, { ...SSD_FACE_DEFAULTS, maxFaces: 1 }).length,
      1,
    );
  });

  it('maps input boxes through the bottom/right padding to the image and clips to it', function () {
    // A landscape 200x100 image fills the top half of the square input.
    const scores = Float32Array.of(0.9, 0.8);
    const boxes = Float32Array.from([...box(0.1, -0.05, 0.4, 0.5), ...box(0.3, 0.7, 0.6, 1.1)]);
    const [a, b] = decodeSsdFaces(scores, boxes, 200, 100);
    assert.ok(boxDiff(a!.box, { xmin: 0, ymin: 0.2, xmax: 0.5, ymax: 0.8 }) < 1e-6);
    assert.ok(boxDiff(b!.box, { xmin: 0.7, ymin: 0.6, xmax: 1, ymax: 1 }) < 1e-6);
    // Portrait: the image fills the left half.
    const [c] = decodeSsdFaces(
      Float32Array.of(0.9),
      Float32Array.from(box(0.1, 0.1, 0.4, 0.3)),
      100,
      200,
    );
    assert.ok(boxDiff(c!.box, { xmin: 0.2, ymin: 0.1, xmax: 0.6, ymax: 0.4 }) < 1e-6);
  });

  it('refuses outputs that disagree and bad options', function () {
    assert.throws(
      () => decodeSsdFaces(new Float32Array(2), new Float32Array(7), 1, 1),
      /2 scores but 7/,
    );
    assert.throws(() => decodeSsdFaces(new Float32Array(1), new Float32Array(4), 0, 1), /positive/);
    assert.throws(
      () =>
        decodeSsdFaces(new Float32Array(1), new Float32Array(4), 1, 1, {
          ...SSD_FACE_DEFAULTS,
          maxFaces: 0,
        }),
      /maxFaces/,
    );
  });
});
