import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SsdDetector } from '../../src/detection/ssdDetector.js';
import { ModelError } from '../../src/errors.js';
import { modelsDir } from '../support/paths.js';

describe('SsdDetector with a missing or corrupt model', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'models-'));
    for (const file of fs.readdirSync(modelsDir)) {
      if (fs.statSync(path.join(modelsDir, file)).isFile())
        fs.copyFileSync(path.join(modelsDir, file), path.join(dir, file));
    }
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names the missing file and the command that fixes it', async () => {
    fs.rmSync(path.join(dir, 'coco_ssd_mobilenet_v2.qdq.onnx'));
    await assert.rejects(
      SsdDetector.create({ modelsDir: dir }),
      (e: unknown) =>
        e instanceof ModelError &&
        e.code === 'MODEL_MISSING' &&
        e.message.includes('coco_ssd_mobilenet_v2.qdq.onnx is missing') &&
        e.message.includes('mobilenet-ros models prepare'),
    );
  });

  it('detects a corrupt file by its sha256 and says how to rebuild it', async () => {
    const file = path.join(dir, 'coco_ssd_mobilenet_v2.qdq.onnx');
    const bytes = fs.readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length >> 1) ^ 0xff, bytes.length >> 1);
    fs.writeFileSync(file, bytes);
    await assert.rejects(
      SsdDetector.create({ modelsDir: dir }),
      (e: unknown) =>
        e instanceof ModelError &&
        e.code === 'MODEL_CORRUPT' &&
        /is corrupt \(sha256 .*models prepare --force/.test(e.message),
    );
  });

  it('checks the input size', async () => {
    const detector = await SsdDetector.create({ modelsDir });
    try {
      await assert.rejects(
        detector.detect(new Uint8Array(10)),
        /detector input must be 300x300x3 = 270000 bytes, got 10/,
      );
    } finally {
      await detector.close();
      await detector.close(); // idempotent
    }
  });
});
