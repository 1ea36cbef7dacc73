import assert from 'node:assert/strict';
import { regionMapping, warpMatrix } from '../../src/faces/regionMapping.js';
import type { FrameImage } from '../../src/image/frameImage.js';
import { warpAffine } from '../../src/image/warpAffine.js';
import { ModelSession } from '../../src/inference/modelSession.js';
import {
  buildFaceExpressionOnnx,
  FACE_EXPRESSION_MODEL,
  FACE_EXPRESSIONS,
} from '../../src/models/tfjs/faceApiExpression.js';
import {
  buildFaceLandmarks68Onnx,
  FACE_LANDMARKS_68,
  FACE_LANDMARKS_68_REGIONS,
  faceApiLandmarkToCrop,
} from '../../src/models/tfjs/faceApiLandmarks68.js';
import type { Box } from '../../src/postprocess/box.js';
import { faceApiImage, faceBoxes, photo } from '../faces/faceTestSupport.js';
import { faceApi, faceApiWeightMap, faceApiWeights, type FaceApi } from './faceApiOracle.js';

const SIZE = 112;

/**
 * Real faces: the two hand-annotated fixture faces, and six faces of the face-api samples whose
 * boxes the project's face detector (ULFD) found (rounded to whole pixels).
 */
const FACES: readonly { label: string; image: () => Promise<FrameImage>; box: Box }[] = [
  ...(['astronaut.jpg', 'camera.jpg'] as const).map((name) => {
    const [xmin, ymin, xmax, ymax] = faceBoxes[name]![0]!;
    return {
      label: name,
      image: () => Promise.resolve(photo(name)),
      box: { xmin, ymin, xmax, ymax },
    };
  }),
  ...(
    [
      [1, [414, 360, 596, 590]],
      [1, [831, 432, 1033, 647]],
      [2, [366, 124, 529, 414]],
      [3, [1077, 193, 1295, 506]],
      [4, [662, 64, 847, 313]],
      [5, [373, 888, 552, 1166]],
    ] as const
  ).map(([n, [xmin, ymin, xmax, ymax]]) => ({
    label: `sample${n}.jpg [${xmin},${ymin},${xmax},${ymax}]`,
    image: () => faceApiImage(n),
    box: { xmin, ymin, xmax, ymax },
  })),
];

/**
 * The input face-api makes of a face box: the box scaled to fit 112x112, centred, black (0)
 * around it. (face-api pads first and resizes after, with TF.js's resize; the pixels differ a
 * little, which does not matter here: both models get the same bytes.)
 */
function faceInput(image: FrameImage, box: Box): Uint8Array {
  const mapping = regionMapping(box, SIZE, SIZE, 'fit');
  const rgb = warpAffine(image, warpMatrix(mapping), {
    width: SIZE,
    height: SIZE,
    channels: 'rgb',
  });
  const x0 = mapping.scaleX * box.xmin + mapping.offsetX;
  const x1 = mapping.scaleX * box.xmax + mapping.offsetX;
  const y0 = mapping.scaleY * box.ymin + mapping.offsetY;
  const y1 = mapping.scaleY * box.ymax + mapping.offsetY;
  for (let v = 0; v < SIZE; v++)
    for (let u = 0; u < SIZE; u++) {
      const inside = u + 0.5 > x0 && u + 0.5 < x1 && v + 0.5 > y0 && v + 0.5 < y1;
      if (!inside) rgb.fill(0, (v * SIZE + u) * 3, (v * SIZE + u) * 3 + 3);
    }
  return rgb;
}

/** Packed RGB bytes (HWC) -> float NCHW planes for our models, batch of `faces.length`. */
function nchw(faces: readonly Uint8Array[]): Float32Array {
  const plane = SIZE * SIZE;
  const out = new Float32Array(faces.length * 3 * plane);
  faces.forEach((rgb, n) => {
    for (let p = 0; p < plane; p++)
      for (let c = 0; c < 3; c++) out[(n * 3 + c) * plane + p] = rgb[p * 3 + c]!;
  });
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

async function run(
  session: ModelSession,
  output: string,
  faces: readonly Uint8Array[],
): Promise<Float32Array> {
  const out = await session.run({
    input: { type: 'float32', data: nchw(faces), dims: [faces.length, 3, SIZE, SIZE] },
  });
  const t = out[output]!;
  assert.equal(t.type, 'float32');
  return t.data as Float32Array;
}

/** Mean of points first..last of one face's 136 outputs. */
function centre(
  points: ArrayLike<number>,
  [first, last]: readonly [number, number],
): { x: number; y: number } {
  let x = 0;
  let y = 0;
  for (let i = first; i <= last; i++) {
    x += points[2 * i]!;
    y += points[2 * i + 1]!;
  }
  const n = last - first + 1;
  return { x: x / n, y: y / n };
}

describe("face-api's landmark 68 and expression nets rebuilt as ONNX", function () {
  this.timeout(300_000);
  let api: FaceApi;
  let landmarks: ModelSession;
  let expressions: ModelSession;
  let inputs: Uint8Array[];
  /** face-api's own nets (typed loosely, as the oracle is). */
  let refLandmarks: FaceApi;
  let refExpressions: FaceApi;

  before(async function () {
    api = await faceApi();
    landmarks = await ModelSession.fromBytes(
      buildFaceLandmarks68Onnx(await faceApiWeights('face_landmark_68')),
      {
        intraOpThreads: 1,
        label: 'face-api landmarks 68',
      },
    );
    expressions = await ModelSession.fromBytes(
      buildFaceExpressionOnnx(await faceApiWeights('face_expression')),
      {
        intraOpThreads: 1,
        label: 'face-api expression',
      },
    );
    refLandmarks = new api.FaceLandmark68Net();
    await refLandmarks.loadFromWeightMap(await faceApiWeightMap('face_landmark_68'));
    refExpressions = new api.FaceExpressionNet();
    await refExpressions.loadFromWeightMap(await faceApiWeightMap('face_expression'));
    inputs = [];
    for (const face of FACES) {
      const image = await face.image();
      try {
        inputs.push(faceInput(image, face.box));
      } finally {
        image.close();
      }
    }
  });

  after(async function () {
    await landmarks?.close();
    await expressions?.close();
    refLandmarks?.dispose();
    refExpressions?.dispose();
  });

  /** face-api's own computation on the same 112x112 bytes (no padding or resizing happens). */
  function reference(
    net: 'landmarks' | 'expressions',
    rgb: Uint8Array,
    rows = SIZE,
    cols = SIZE,
  ): Float32Array {
    const t = api.tf.tensor4d(Float32Array.from(rgb), [1, rows, cols, 3]);
    try {
      const netInput = new api.NetInput([t]);
      const out =
        net === 'landmarks'
          ? // runNet: the raw 136 outputs, before face-api maps them to the unpadded crop.
            rows === cols
            ? refLandmarks.runNet(netInput)
            : refLandmarks.forwardInput(netInput)
          : refExpressions.forwardInput(netInput);
      try {
        return Float32Array.from(out.dataSync() as Float32Array);
      } finally {
        out.dispose();
      }
    } finally {
      t.dispose();
    }
  }

  // Measured: landmarks differ from face-api by at most 2.4e-7 (fractions of the input),
  // probabilities by at most 6.0e-7; a batch of 8 gave exactly the single runs' numbers.
  it("landmarks: face-api's 136 numbers on 8 real faces within 1e-5, a batch within 1e-6 of single runs", async function () {
    const batched = await run(landmarks, FACE_LANDMARKS_68.outputName, inputs);
    for (const [i, rgb] of inputs.entries()) {
      const ours = await run(landmarks, FACE_LANDMARKS_68.outputName, [rgb]);
      const theirs = reference('landmarks', rgb);
      assert.equal(theirs.length, 136);
      const diff = maxAbsDiff(ours, theirs);
      assert.ok(diff <= 1e-5, `${FACES[i]!.label}: max |ours - face-api| ${diff}`);
      const batch = maxAbsDiff(ours, batched.subarray(i * 136, (i + 1) * 136));
      assert.ok(batch <= 1e-6, `${FACES[i]!.label}: batch vs single ${batch}`);
    }
  });

  it("expressions: face-api's 7 probabilities on 8 real faces within 1e-5, a batch within 1e-6 of single runs", async function () {
    const batched = await run(expressions, FACE_EXPRESSION_MODEL.outputName, inputs);
    for (const [i, rgb] of inputs.entries()) {
      const ours = await run(expressions, FACE_EXPRESSION_MODEL.outputName, [rgb]);
      const theirs = reference('expressions', rgb);
      assert.equal(theirs.length, FACE_EXPRESSIONS.length);
      const diff = maxAbsDiff(ours, theirs);
      assert.ok(diff <= 1e-5, `${FACES[i]!.label}: max |ours - face-api| ${diff}`);
      const batch = maxAbsDiff(ours, batched.subarray(i * 7, (i + 1) * 7));
      assert.ok(batch <= 1e-6, `${FACES[i]!.label}: batch vs single ${batch}`);
      const sum = ours.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) <= 1e-5, `probabilities sum to ${sum}`);
    }
    // The astronaut's official portrait smiles: measured happy 1.000 (the others below 1e-3).
    const astronaut = await run(expressions, FACE_EXPRESSION_MODEL.outputName, [inputs[0]!]);
    assert.ok(
      astronaut[FACE_EXPRESSIONS.indexOf('happy')]! > 0.9,
      Array.from(astronaut).join(', '),
    );
  });

  it('landmarks lie where a face has them: eyes apart, then nose, mouth and chin going down', async function () {
    // Measured on these 8 faces (fractions of the 112x112 input): eye centres 0.163-0.402 apart,
    // nose tip 0.083-0.256 below the lower eye, mouth 0.101-0.186 below the nose tip and
    // 0.234-0.399 below the lower eye, chin 0.162-0.298 below the mouth, every coordinate in
    // [0.015, 1.031]. The thresholds leave a margin below the worst face.
    const out = await run(landmarks, FACE_LANDMARKS_68.outputName, inputs);
    const R = FACE_LANDMARKS_68_REGIONS;
    for (const [i, face] of FACES.entries()) {
      const p = out.subarray(i * 136, (i + 1) * 136);
      const left = centre(p, R.leftEye);
      const right = centre(p, R.rightEye);
      const nose = centre(p, [30, 30]); // nose tip
      const mouth = centre(p, R.mouth);
      const chin = centre(p, [8, 8]); // middle of the jaw line
      const eyes = Math.max(left.y, right.y);
      const where = `${face.label}: ${JSON.stringify({ left, right, nose, mouth, chin })}`;
      assert.ok(right.x - left.x >= 0.1, `eyes apart, image-left first; ${where}`);
      assert.ok(nose.y - eyes >= 0.05, `nose below the eyes; ${where}`);
      assert.ok(mouth.y - nose.y >= 0.05, `mouth below the nose; ${where}`);
      assert.ok(mouth.y - eyes >= 0.15, `mouth well below the eyes; ${where}`);
      assert.ok(chin.y - mouth.y >= 0.1, `chin below the mouth; ${where}`);
      for (const v of p) assert.ok(v >= -0.05 && v <= 1.05, `${v} outside the crop; ${where}`);
    }
  });

  it("refuses the other net's manifest, naming the tensor whose shape is wrong", async function () {
    const expressionWeights = await faceApiWeights('face_expression');
    const landmarkWeights = await faceApiWeights('face_landmark_68');
    assert.throws(
      () => buildFaceLandmarks68Onnx(expressionWeights),
      /fc\/weights.*\[256,7\].*\[256,136\]/,
    );
    assert.throws(
      () => buildFaceExpressionOnnx(landmarkWeights),
      /fc\/weights.*\[256,136\].*\[256,7\]/,
    );
  });

  it('landmarks of a non-square crop: the black bands face-api pads with, and its mapping back', async function () {
    // A real face's input with a 14-pixel band cut off each side gives an 84x112 (or 112x84)
    // crop: face-api pads it back to 112x112 with zeros, resizes nothing, and maps the points to
    // the crop. Ours gets the banded 112x112 input and maps with faceApiLandmarkToCrop.
    for (const rgb of inputs.slice(0, 2)) {
      for (const wide of [true, false]) {
        const rows = wide ? 84 : SIZE;
        const cols = wide ? SIZE : 84;
        const crop = new Uint8Array(rows * cols * 3);
        const banded = new Uint8Array(SIZE * SIZE * 3);
        for (let v = 0; v < rows; v++)
          for (let u = 0; u < cols; u++) {
            const src = wide ? ((v + 14) * SIZE + u) * 3 : (v * SIZE + u + 14) * 3;
            crop.set(rgb.subarray(src, src + 3), (v * cols + u) * 3);
            banded.set(rgb.subarray(src, src + 3), src);
          }
        const raw = await run(landmarks, FACE_LANDMARKS_68.outputName, [banded]);
        const ours = new Float32Array(136);
        for (let k = 0; k < 68; k++) {
          const pt = faceApiLandmarkToCrop(raw[2 * k]!, raw[2 * k + 1]!, cols, rows);
          ours[2 * k] = pt.x / cols;
          ours[2 * k + 1] = pt.y / rows;
        }
        const theirs = reference('landmarks', crop, rows, cols);
        // Measured: at most 3.0e-7.
        const diff = maxAbsDiff(ours, theirs);
        assert.ok(diff <= 1e-5, `${cols}x${rows}: ${diff}`);
      }
    }
  });
});
