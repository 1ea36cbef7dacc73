import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ALIGNED_FACE_SIZE } from '../../src/faces/faceAlignment.js';
import { cosineSimilarity, l2Normalize } from '../../src/faces/embeddingMath.js';
import { ModelSession } from '../../src/inference/modelSession.js';
import { float32Data } from '../../src/inference/tensorData.js';
import { loadManifest, modelEntry, preparedFile } from '../../src/models/manifest.js';
import { parseCalibrationTable } from '../../src/models/onnx/calibrationTable.js';
import { readVerified } from '../../src/models/verifiedFile.js';
import { modelsDir } from '../support/paths.js';
import {
  CALIBRATION_SAMPLES,
  calibrationFaces,
  measureRanges,
} from '../tools/makeEmbeddingCalibration.js';

async function embed(
  file: 'onnx' | 'int8',
  faces: readonly Float32Array[],
): Promise<Float32Array[]> {
  const entry = modelEntry(loadManifest(modelsDir), 'face_embedding');
  const session = await ModelSession.fromBytes(
    await readVerified(modelsDir, preparedFile(entry, file, 'face_embedding')),
    {
      label: file,
      intraOpThreads: 2,
    },
  );
  try {
    const out: Float32Array[] = [];
    for (const face of faces) {
      const result = await session.run({
        input: { type: 'float32', data: face, dims: [1, 3, ALIGNED_FACE_SIZE, ALIGNED_FACE_SIZE] },
      });
      out.push(l2Normalize(float32Data(result.output, 'output')));
    }
    return out;
  } finally {
    await session.close();
  }
}

describe('int8 MobileFaceNet (quantized by models prepare from the committed calibration)', function () {
  this.timeout(120_000);

  it('agrees with the float model on faces it was not calibrated on (cosine >= 0.95 each, mean >= 0.975)', async function () {
    // face-api samples 5 and 6: 9 faces, none of them among the calibration inputs (samples 1-4).
    const faces = (await calibrationFaces([5, 6])).filter((_, i) => i % 2 === 0);
    assert.equal(faces.length, 9);
    const [float, int8] = [await embed('onnx', faces), await embed('int8', faces)];
    const cosines = faces.map((_, i) => cosineSimilarity(float[i]!, int8[i]!));
    const mean = cosines.reduce((a, b) => a + b, 0) / cosines.length;
    assert.ok(Math.min(...cosines) >= 0.95, cosines.map((c) => c.toFixed(3)).join(' '));
    assert.ok(mean >= 0.975, `mean ${mean.toFixed(4)}`);
  });

  it('the committed calibration table is what the calibration tool measures (each range within 3%)', async function () {
    const entry = modelEntry(loadManifest(modelsDir), 'face_embedding');
    const committed = parseCalibrationTable(
      fs.readFileSync(path.join(modelsDir, entry.calibration!.file)),
      'calibration',
    );
    const float = await readVerified(modelsDir, preparedFile(entry, 'onnx', 'face_embedding'));
    const measured = await measureRanges(float, await calibrationFaces(CALIBRATION_SAMPLES));
    assert.deepEqual(Object.keys(measured).sort(), Object.keys(committed.ranges).sort());
    for (const [name, [low, high]] of Object.entries(committed.ranges)) {
      const [l, h] = measured[name]!;
      const width = high - low;
      assert.ok(
        Math.abs(l - low) <= 0.03 * width && Math.abs(h - high) <= 0.03 * width,
        `${name}: [${l}, ${h}] vs [${low}, ${high}]`,
      );
    }
  });
});
