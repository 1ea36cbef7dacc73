/**
 * Measures the activation ranges of the float MobileFaceNet on real aligned faces and writes
 * models/face_embedding_mobilefacenet.calibration.json, from which `models prepare` builds the
 * int8 model (src/models/onnx/quantizeOnnxInt8.ts). Run after `npm run build`:
 *
 *   node dist/test/tools/makeEmbeddingCalibration.js
 *
 * then put the printed sha256 values into models/manifest.json (face_embedding.calibration and
 * outputs.int8). Inputs: the 13 faces of face-api samples 1-4 (pinned tarball, see
 * faceTestSupport), each also mirrored: 26 inputs. Samples 5 and 6, astronaut and camera are
 * left out so the tests measure the int8 model on faces it was not calibrated on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ALIGNED_FACE_SIZE } from '../../src/faces/faceAlignment.js';
import { ModelSession } from '../../src/inference/modelSession.js';
import { float32Data } from '../../src/inference/tensorData.js';
import { loadManifest, modelEntry, preparedFile } from '../../src/models/manifest.js';
import {
  ActivationObserver,
  exposeActivations,
  type CalibrationTable,
} from '../../src/models/onnx/calibrationTable.js';
import { readVerified, sha256 } from '../../src/models/verifiedFile.js';
import { createTestStage, faceApiImage } from '../faces/faceTestSupport.js';
import { modelsDir } from '../support/paths.js';

export const CALIBRATION_SAMPLES = [1, 2, 3, 4] as const;

/** The aligned embedding inputs (1 x 3 x 112 x 112 each) of the faces of the given face-api samples, and their mirror images. */
export async function calibrationFaces(samples: readonly number[]): Promise<Float32Array[]> {
  // The models the committed table was measured with: faceplugin landmarks, float MobileFaceNet.
  const stage = await createTestStage({
    embedding: 'mobilefacenet',
    landmarks: 'faceplugin',
    embeddingForm: 'float',
    attributes: false,
    expression: false,
  });
  const faces: Float32Array[] = [];
  const plane = ALIGNED_FACE_SIZE * ALIGNED_FACE_SIZE;
  try {
    for (const n of samples) {
      const image = await faceApiImage(n);
      try {
        await stage.process(image, {
          onAligned: (aligned, count) => {
            for (let i = 0; i < count; i++) {
              const face = aligned.slice(i * 3 * plane, (i + 1) * 3 * plane);
              faces.push(face, mirrored(face));
            }
          },
        });
      } finally {
        image.close();
      }
    }
  } finally {
    await stage.close();
  }
  return faces;
}

function mirrored(face: Float32Array): Float32Array {
  const size = ALIGNED_FACE_SIZE;
  const out = new Float32Array(face.length);
  for (let row = 0; row < face.length / size; row++) {
    for (let x = 0; x < size; x++) out[row * size + x] = face[row * size + size - 1 - x]!;
  }
  return out;
}

/** Runs the float model with every activation exposed over `faces` and picks each tensor's range. */
export async function measureRanges(
  floatModel: Uint8Array,
  faces: readonly Float32Array[],
): Promise<CalibrationTable['ranges']> {
  const exposed = exposeActivations(floatModel);
  const session = await ModelSession.fromBytes(exposed.onnx, {
    label: 'MobileFaceNet (all activations)',
    intraOpThreads: 2,
  });
  const observers = new Map<string, ActivationObserver>([['input', new ActivationObserver()]]);
  for (const name of exposed.tensors) observers.set(name, new ActivationObserver());
  try {
    for (const face of faces) {
      observers.get('input')!.observe(face);
      const out = await session.run({
        input: { type: 'float32', data: face, dims: [1, 3, ALIGNED_FACE_SIZE, ALIGNED_FACE_SIZE] },
      });
      for (const name of exposed.tensors)
        observers.get(name)!.observe(float32Data(out[name], name));
    }
  } finally {
    await session.close();
  }
  return Object.fromEntries([...observers].map(([name, observer]) => [name, observer.range()]));
}

async function main(): Promise<void> {
  const entry = modelEntry(loadManifest(modelsDir), 'face_embedding');
  const float = await readVerified(modelsDir, preparedFile(entry, 'onnx', 'face_embedding'));
  const faces = await calibrationFaces(CALIBRATION_SAMPLES);
  const table: CalibrationTable = {
    formatVersion: 1,
    floatSha256: sha256(float),
    method:
      'uint8 range with the least squared error over a fraction (1 ... 0.2) of the observed min/max, ' +
      `per tensor; inputs: the ${faces.length / 2} faces of face-api samples ${CALIBRATION_SAMPLES.join(', ')} and their mirror images`,
    samples: faces.length,
    ranges: await measureRanges(float, faces),
  };
  const file = path.join(
    modelsDir,
    entry.calibration?.file ?? 'face_embedding_mobilefacenet.calibration.json',
  );
  const text = `${JSON.stringify(table, null, 1)}\n`;
  fs.writeFileSync(file, text);
  process.stdout.write(
    `wrote ${file}: ${Object.keys(table.ranges).length} tensors from ${faces.length} inputs, sha256 ${sha256(Buffer.from(text))}\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  await main();
}
