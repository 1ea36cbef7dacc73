import assert from 'node:assert/strict';
import { alignmentMatrix, ARCFACE_TEMPLATE } from '../../src/faces/faceAlignment.js';
import { expandBox, faceCrop } from '../../src/faces/cropBox.js';
import { cosineSimilarity, l2Normalize } from '../../src/faces/embeddingMath.js';
import { fivePointsFrom68, landmarksToSource } from '../../src/faces/landmarks68.js';
import { writePlanar } from '../../src/faces/planarTensor.js';
import {
  continuousToOpenCv,
  mapNormalizedBox,
  regionMapping,
} from '../../src/faces/regionMapping.js';
import { applyAffine, similarityTransform } from '../../src/faces/similarityTransform.js';
import { ssrNetValue } from '../../src/faces/ssrNet.js';
import { decodeUlfd } from '../../src/faces/ulfdDecoder.js';
import type { Point } from '../../src/image/modelInputTransform.js';

function close(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  );
}

describe('face geometry (pure)', function () {
  describe('similarityTransform', function () {
    it('recovers a known rotation, scale and translation exactly', function () {
      const angle = 0.3;
      const scale = 1.7;
      const truth = [
        scale * Math.cos(angle),
        -scale * Math.sin(angle),
        12,
        scale * Math.sin(angle),
        scale * Math.cos(angle),
        -5,
      ] as const;
      const source: Point[] = [
        { x: 1, y: 2 },
        { x: 10, y: 3 },
        { x: 4, y: 9 },
        { x: -3, y: 5 },
        { x: 7, y: -2 },
      ];
      const target = source.map((p) => applyAffine(truth, p));
      const m = similarityTransform(source, target);
      m.forEach((v, i) => close(v, truth[i]!, 1e-9, `m[${i}]`));
    });

    it('is the least-squares fit for noisy points (no reflection, uniform scale)', function () {
      const source: Point[] = [
        { x: 0, y: 0 },
        { x: 1, y: 0 },
        { x: 0, y: 1 },
        { x: 1, y: 1 },
      ];
      const target: Point[] = [
        { x: 0.1, y: 0 },
        { x: 2, y: 0.1 },
        { x: 0, y: 2 },
        { x: 2.1, y: 1.9 },
      ];
      const m = similarityTransform(source, target);
      close(m[0], m[4], 1e-12, 'a = e');
      close(m[1], -m[3], 1e-12, 'b = -d');
      // Perturbing any parameter can only increase the squared error.
      const error = (mm: readonly number[]): number =>
        source.reduce((sum, p, i) => {
          const q = applyAffine(mm as never, p);
          return sum + (q.x - target[i]!.x) ** 2 + (q.y - target[i]!.y) ** 2;
        }, 0);
      const best = error(m);
      for (const [da, db] of [
        [0.01, 0],
        [-0.01, 0],
        [0, 0.01],
        [0, -0.01],
      ] as const) {
        const a = m[0] + da;
        const b = m[3] + db;
        assert.ok(error([a, -b, m[2], b, a, m[5]]) > best);
      }
    });

    it('refuses mismatched, too few or coincident points', function () {
      assert.throws(() => similarityTransform([{ x: 0, y: 0 }], [{ x: 0, y: 0 }]), RangeError);
      assert.throws(
        () =>
          similarityTransform(
            [
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ],
            [{ x: 0, y: 0 }],
          ),
        /same number of points/,
      );
      assert.throws(
        () =>
          similarityTransform(
            [
              { x: 2, y: 2 },
              { x: 2, y: 2 },
            ],
            [
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ],
          ),
        /coincide/,
      );
      assert.throws(
        () =>
          similarityTransform(
            [
              { x: NaN, y: 2 },
              { x: 2, y: 2 },
            ],
            [
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ],
          ),
        /finite/,
      );
    });
  });

  it('alignmentMatrix maps landmarks that already match the template (in continuous coordinates) to it', function () {
    const landmarks = ARCFACE_TEMPLATE.map((p) => ({
      x: p.x + 0.5,
      y: p.y + 0.5,
    })) as unknown as Parameters<typeof alignmentMatrix>[0];
    const m = alignmentMatrix(landmarks);
    [1, 0, 0, 0, 1, 0].forEach((v, i) => close(m[i]!, v, 1e-9, `m[${i}]`));
  });

  it('fivePointsFrom68 averages the eyelids, takes the nose tip and averages outer/inner mouth corners', function () {
    const points = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 100 + i }));
    const five = fivePointsFrom68(points);
    assert.deepEqual(five, [
      { x: (37 + 38 + 40 + 41) / 4, y: 100 + (37 + 38 + 40 + 41) / 4 },
      { x: (43 + 44 + 46 + 47) / 4, y: 100 + (43 + 44 + 46 + 47) / 4 },
      { x: 30, y: 130 },
      { x: 54, y: 154 },
      { x: 59, y: 159 },
    ]);
    assert.throws(() => fivePointsFrom68(points.slice(1)), /68 landmarks/);
  });

  it('landmarksToSource maps crop-normalised values to pixels', function () {
    const values = new Float32Array(136 * 2);
    values[136] = 0.5;
    values[137] = 0.25;
    const points = landmarksToSource(values, 136, { xmin: 100, ymin: 50, xmax: 140, ymax: 130 });
    assert.deepEqual(points[0], { x: 120, y: 70 });
    assert.throws(
      () => landmarksToSource(values, 200, { xmin: 0, ymin: 0, xmax: 1, ymax: 1 }),
      /136 values/,
    );
  });

  it('regionMapping stretches or fits a region and maps normalised boxes back', function () {
    const region = { xmin: 100, ymin: 40, xmax: 300, ymax: 440 };
    const stretch = regionMapping(region, 320, 240, 'stretch');
    assert.deepEqual(mapNormalizedBox(stretch, { xmin: 0, ymin: 0, xmax: 1, ymax: 1 }), region);
    const fit = regionMapping(region, 320, 240, 'fit');
    assert.equal(fit.scaleX, 0.6);
    assert.equal(fit.scaleY, 0.6);
    // The region is centred: 200*0.6 = 120 wide in a 320 wide input, 100 px of border each side.
    const back = mapNormalizedBox(fit, { xmin: 100 / 320, ymin: 0, xmax: 220 / 320, ymax: 1 });
    for (const k of ['xmin', 'ymin', 'xmax', 'ymax'] as const) close(back[k], region[k], 1e-9, k);
    assert.throws(
      () => regionMapping({ xmin: 5, ymin: 5, xmax: 5, ymax: 9 }, 64, 64, 'stretch'),
      /positive width/,
    );
  });

  it('continuousToOpenCv shifts by half a pixel on both sides', function () {
    // Scaling by 2 about the origin in continuous coordinates: pixel centre 0 (0.5) -> 1 -> 0.5 in OpenCV terms.
    assert.deepEqual(continuousToOpenCv([2, 0, 0, 0, 2, 0]), [2, 0, 0.5, 0, 2, 0.5]);
    assert.deepEqual(continuousToOpenCv([1, 0, 3, 0, 1, 4]), [1, 0, 3, 0, 1, 4]);
  });

  it('faceCrop scales about the centre and moves the crop inside the image', function () {
    assert.deepEqual(faceCrop({ xmin: 40, ymin: 40, xmax: 60, ymax: 60 }, 2, 100, 100), {
      xmin: 30,
      ymin: 30,
      xmax: 70,
      ymax: 70,
    });
    assert.deepEqual(faceCrop({ xmin: 0, ymin: 0, xmax: 20, ymax: 20 }, 2, 100, 100), {
      xmin: 0,
      ymin: 0,
      xmax: 40,
      ymax: 40,
    });
    assert.deepEqual(faceCrop({ xmin: 80, ymin: 0, xmax: 100, ymax: 20 }, 2, 100, 100), {
      xmin: 60,
      ymin: 0,
      xmax: 100,
      ymax: 40,
    });
    // Larger than the image: stays centred.
    assert.deepEqual(faceCrop({ xmin: 0, ymin: 0, xmax: 100, ymax: 100 }, 1.4, 100, 100), {
      xmin: -20,
      ymin: -20,
      xmax: 120,
      ymax: 120,
    });
    assert.deepEqual(expandBox({ xmin: 10, ymin: 10, xmax: 30, ymax: 50 }, 0.1, 100, 100), {
      xmin: 8,
      ymin: 6,
      xmax: 32,
      ymax: 54,
    });
  });

  it('decodeUlfd thresholds the face column, clamps and suppresses overlaps', function () {
    const scores = new Float32Array([0.9, 0.1, 0.2, 0.8, 0.1, 0.9, 0.05, 0.95]);
    const boxes = new Float32Array([
      0,
      0,
      0.1,
      0.1, // background
      0.1,
      0.1,
      0.3,
      0.3, // face 0.8
      0.11,
      0.1,
      0.31,
      0.3, // face 0.9, overlaps the one above
      0.9,
      -0.1,
      1.2,
      0.2, // face 0.95, clamped
    ]);
    const faces = decodeUlfd(scores, boxes, {
      scoreThreshold: 0.7,
      iouThreshold: 0.3,
      maxFaces: 10,
    });
    assert.equal(faces.length, 2);
    close(faces[0]!.score, 0.95, 1e-6, 'score');
    assert.deepEqual(faces[0]!.box, {
      xmin: 0.8999999761581421,
      ymin: 0,
      xmax: 1,
      ymax: 0.20000000298023224,
    });
    close(faces[1]!.score, 0.9, 1e-6, 'score');
    assert.throws(
      () =>
        decodeUlfd(scores, boxes.subarray(4), {
          scoreThreshold: 0.5,
          iouThreshold: 0.3,
          maxFaces: 1,
        }),
      /disagree/,
    );
  });

  it('ssrNetValue merges the stages as SSR-Net does', function () {
    // All mass in the top bin of every stage, no offsets or range changes: 2/3 + 2/9 + 2/27.
    const stages = {
      probabilities: [
        [0, 0, 1],
        [0, 0, 1],
        [0, 0, 1],
      ],
      deltas: [0, 0, 0],
      offsets: [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
    } as const;
    close(ssrNetValue(stages, 101), 101 * (2 / 3 + 2 / 9 + 2 / 27), 1e-9, 'age');
    const shifted = {
      ...stages,
      deltas: [1, 0, 0] as const,
      offsets: [
        [0, 0, 0.5],
        [0, 0, 0],
        [0, 0, 0],
      ] as const,
    };
    close(ssrNetValue(shifted, 1), 2.5 / 6 + 2 / 18 + 2 / 54, 1e-9, 'gender');
  });

  it('l2Normalize and cosineSimilarity', function () {
    const v = l2Normalize([3, 4]);
    close(v[0]!, 0.6, 1e-7, 'x');
    close(v[1]!, 0.8, 1e-7, 'y');
    close(cosineSimilarity([1, 0], [0, 2]), 0, 1e-12, 'orthogonal');
    close(cosineSimilarity([1, 1], [2, 2]), 1, 1e-12, 'parallel');
    assert.throws(() => l2Normalize([0, 0]), /length 0/);
    assert.throws(() => cosineSimilarity([1], [1, 2]), /dimensions differ/);
  });

  it('writePlanar turns packed HWC bytes into normalised CHW floats at an offset', function () {
    const target = new Float32Array(2 + 6);
    writePlanar(
      new Uint8Array([0, 127, 255, 255, 127, 0]),
      3,
      [127, 127, 127],
      [128, 128, 128],
      target,
      2,
    );
    assert.deepEqual(
      Array.from(target),
      [0, 0, -127 / 128, 1, 0, 0, 1, -127 / 128].map(Math.fround),
    );
    assert.throws(
      () => writePlanar(new Uint8Array(4), 3, [0, 0, 0], [1, 1, 1], target, 0),
      /whole pixels/,
    );
    assert.throws(
      () => writePlanar(new Uint8Array(6), 3, [0, 0, 0], [1, 1, 1], target, 5),
      /no room/,
    );
  });
});
