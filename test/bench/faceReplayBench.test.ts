import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeImagesBag } from '../../src/bench/bagJpegs.js';
import { formatFaceReplayBench, runFaceReplayBench } from '../../src/bench/faceReplayBench.js';
import { defaultConfig } from '../../src/config/parseConfig.js';
import { fixturesDir, modelsDir } from '../support/paths.js';

describe('bench --faces: replay detector-only and with faces', function () {
  this.timeout(120_000);

  it('replays a photo both ways and counts its person, face and face-detector input', async function () {
    const astronaut = fs.readFileSync(path.join(fixturesDir, 'images', 'astronaut.jpg'));
    const config = { ...defaultConfig(), modelsDir };
    const r = await runFaceReplayBench({
      config: { ...config, detector: { ...config.detector, modelForm: 'qdq' } },
      images: [{ label: 'astronaut.jpg', bytes: astronaut }],
      frames: 4,
      rounds: 2,
      warmup: 1,
    });
    assert.equal(r.frames, 4);
    assert.equal(r.personsPerFrame, 1);
    assert.equal(r.facesPerFrame, 1);
    assert.equal(r.canvasesPerFrame, 1);
    assert.ok(r.detectorOnlyFps > 0 && r.withFacesFps > 0 && Number.isFinite(r.ratio));
    assert.equal(r.roundRatios.length, 2);
    assert.ok(r.stageMs.detectMs > 0 && r.stageMs.embeddingMs > 0);
    assert.match(
      formatFaceReplayBench(r),
      /1\.0 persons in 1\.0 face-detector runs, 1\.0 faces per frame, 4 frames[\s\S]*target >= 60%/,
    );
  });

  it('refuses a file that is no image, naming it, before writing anything', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilenet-ros-imagesbag-'));
    try {
      const bag = path.join(dir, 'out.mcap');
      await assert.rejects(
        () =>
          writeImagesBag(
            bag,
            '/cam/image_raw/compressed',
            [{ label: 'notes.txt', bytes: Buffer.from('hello') }],
            2,
          ),
        /notes\.txt is neither a JPEG nor a PNG file/,
      );
      assert.equal(fs.existsSync(bag), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
