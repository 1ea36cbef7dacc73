import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModelError } from '../../src/errors.js';
import type { ModelManifest } from '../../src/models/manifest.js';
import { prepareModels } from '../../src/models/prepareModels.js';
import { modelsDir } from '../support/paths.js';

describe('models prepare', function () {
  this.timeout(120_000);
  let dir: string;
  const manifest = JSON.parse(
    fs.readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8'),
  ) as ModelManifest;
  // The tarballs fetched by setup: the test runs offline from this cache.
  const cacheDir = path.join(modelsDir, '.cache');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prepare-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const writeManifest = (m: ModelManifest): void =>
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));

  it('converts the detector reproducibly (pinned sha256), is idempotent, and repairs a corrupt file', async () => {
    writeManifest({ ...manifest, models: { coco_detector: manifest.models.coco_detector! } });
    const first = await prepareModels({ modelsDir: dir, cacheDir });
    assert.equal(first[0]?.status, 'prepared');
    const second = await prepareModels({ modelsDir: dir, cacheDir });
    assert.equal(second[0]?.status, 'up to date');

    const onnx = path.join(dir, 'coco_ssd_mobilenet_v2.qdq.onnx');
    fs.appendFileSync(onnx, 'garbage');
    const third = await prepareModels({ modelsDir: dir, cacheDir });
    assert.equal(third[0]?.status, 'prepared');
    assert.deepEqual(
      fs.readFileSync(onnx),
      fs.readFileSync(path.join(modelsDir, 'coco_ssd_mobilenet_v2.qdq.onnx')),
    );
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('refuses a source file whose sha256 differs from the manifest, writing nothing', async () => {
    const entry = manifest.models.coco_detector!;
    const tflite = entry.sources.tflite!;
    writeManifest({
      ...manifest,
      models: {
        coco_detector: {
          ...entry,
          sources: { ...entry.sources, tflite: { ...tflite, sha256: '0'.repeat(64) } },
        },
      },
    });
    await assert.rejects(
      prepareModels({ modelsDir: dir, cacheDir }),
      (e: unknown) =>
        e instanceof ModelError &&
        e.code === 'MODEL_FETCH_FAILED' &&
        /has sha256 7046f31a.*, expected 0000/.test(e.message),
    );
    assert.deepEqual(fs.readdirSync(dir), ['manifest.json']);
  });

  it('quantizes MobileFaceNet to int8 from the committed calibration table, reproducibly; refuses a missing or altered table', async () => {
    const entry = manifest.models.face_embedding!;
    const table = entry.calibration!.file;
    writeManifest({ ...manifest, models: { face_embedding: entry } });
    await assert.rejects(
      prepareModels({ modelsDir: dir, cacheDir }),
      (e: unknown) =>
        e instanceof ModelError &&
        e.code === 'MODEL_MISSING' &&
        /face_embedding: calibration table .* is missing\. .*git checkout/.test(e.message),
    );
    fs.writeFileSync(
      path.join(dir, table),
      fs
        .readFileSync(path.join(modelsDir, table), 'utf8')
        .replace('"samples": 26', '"samples": 27'),
    );
    await assert.rejects(
      prepareModels({ modelsDir: dir, cacheDir }),
      (e: unknown) =>
        e instanceof ModelError &&
        e.code === 'MODEL_CORRUPT' &&
        /face_embedding: calibration table .* is corrupt \(sha256 .*, expected /.test(e.message),
    );
    fs.copyFileSync(path.join(modelsDir, table), path.join(dir, table));
    const [report] = await prepareModels({ modelsDir: dir, cacheDir });
    assert.equal(report?.status, 'prepared');
    const int8 = entry.outputs.int8!.file;
    assert.deepEqual(
      fs.readFileSync(path.join(dir, int8)),
      fs.readFileSync(path.join(modelsDir, int8)),
    );
  });

  it('names an unknown model', async () => {
    writeManifest(manifest);
    await assert.rejects(
      prepareModels({ modelsDir: dir, cacheDir, only: ['nope'] }),
      /no model 'nope' in the manifest; known: coco_detector/,
    );
  });
});
