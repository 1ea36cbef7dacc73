import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDetect } from '../../src/cli/detect.js';
import { defaultConfig } from '../../src/config/parseConfig.js';
import { iou, type Box } from '../../src/postprocess/box.js';
import { fixturesDir, modelsDir } from '../support/paths.js';

interface Annotation {
  label: string;
  bbox: [number, number, number, number];
}

const annotations = JSON.parse(
  fs.readFileSync(path.join(fixturesDir, 'images/annotations.json'), 'utf8'),
) as {
  images: Record<string, Annotation[]>;
};

describe('COCO detector on real photos (boxes annotated by hand)', function () {
  this.timeout(60_000);

  // 'auto' (the default) chooses with a cache of its own, not the user's.
  let cacheHome: string | undefined;
  before(() => {
    cacheHome = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-cache-'));
  });
  after(() => {
    fs.rmSync(process.env.XDG_CACHE_HOME ?? '', { recursive: true, force: true });
    if (cacheHome === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = cacheHome;
  });

  for (const form of ['auto', 'qdq', 'qdq_s8', 'float'] as const) {
    it(`finds each annotated object with IoU >= 0.8 (${form} model)`, async () => {
      const files = Object.keys(annotations.images);
      const results = await runDetect({
        images: files.map((f) => path.join(fixturesDir, 'images', f)),
        config: {
          ...defaultConfig(),
          modelsDir,
          detector: { ...defaultConfig().detector, modelForm: form },
        },
      });
      assert.equal(results.length, files.length);
      for (const [i, file] of files.entries()) {
        const result = results[i];
        assert.ok(
          result !== undefined && result.error === undefined,
          `${file}: ${result?.error?.message}`,
        );
        for (const expected of annotations.images[file] ?? []) {
          const [xmin, ymin, xmax, ymax] = expected.bbox;
          const truth: Box = { xmin, ymin, xmax, ymax };
          const candidates = result.detections.filter((d) => d.label === expected.label);
          const best = Math.max(0, ...candidates.map((d) => iou(d.box, truth)));
          assert.ok(
            best >= 0.8,
            `${file}: best ${expected.label} IoU ${best.toFixed(3)} (detections: ${JSON.stringify(result.detections)})`,
          );
        }
      }
    });
  }
});
