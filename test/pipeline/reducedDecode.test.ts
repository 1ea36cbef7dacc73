import assert from 'node:assert/strict';

import type { AppConfig } from '../../src/config/detectorConfig.js';
import { defaultConfig } from '../../src/config/parseConfig.js';
import type { ObjectDetection } from '../../src/detection/objectDetection.js';
import { DetectionPipeline } from '../../src/pipeline/detectionPipeline.js';
import type { FrameResult } from '../../src/pipeline/frameResult.js';
import { iou } from '../../src/postprocess/box.js';
import type { CameraFrame } from '../../src/sources/cameraFrame.js';
import { faceApiSample } from '../faces/faceTestSupport.js';
import { modelsDir } from '../support/paths.js';

const header = { stamp: { sec: 1, nanosec: 0 }, frame_id: 'camera' };

function frame(data: Uint8Array, sequence: number): CameraFrame {
  return {
    topic: '/camera/image_raw/compressed',
    header,
    payload: { kind: 'compressed', image: { header, format: 'jpeg', data } },
    logTime: 0n,
    receivedAt: process.hrtime.bigint(),
    sequence,
  };
}

function config(jpegReducedDecode: 'auto' | 'off'): AppConfig {
  const base = defaultConfig();
  return {
    ...base,
    modelsDir,
    // Faces off: the face branch crops and needs full resolution.
    faces: { ...base.faces, enabled: false },
    // Low enough that a detection near the default threshold shows on both sides.
    detector: { ...base.detector, scoreThreshold: 0.3 },
    image: { ...base.image, jpegReducedDecode },
  };
}

async function detectAll(mode: 'auto' | 'off', photos: Uint8Array[]): Promise<FrameResult[]> {
  const pipeline = await DetectionPipeline.create(config(mode));
  try {
    const expectReduced = mode === 'auto';
    assert.equal(pipeline.stage.decodeOptions.reduceTo !== undefined, expectReduced);
    const results: FrameResult[] = [];
    for (const [i, data] of photos.entries())
      results.push(await pipeline.stage.process(frame(data, i)));
    return results;
  } finally {
    await pipeline.close();
  }
}

/** Each detection of `a` scoring at least 0.6 has a counterpart in `b` (same label, close box and score). */
function assertFound(
  a: readonly ObjectDetection[],
  b: readonly ObjectDetection[],
  what: string,
): void {
  for (const d of a.filter((x) => x.score >= 0.6)) {
    const best = b
      .filter((x) => x.label === d.label)
      .map((x) => ({ overlap: iou(x.box, d.box), score: x.score }))
      .sort((x, y) => y.overlap - x.overlap)[0];
    assert.ok(best !== undefined, `${what}: no ${d.label} for ${JSON.stringify(d)}`);
    // Measured: IoU 0.74-1.00, scores one quantization step (0.05-0.07) apart at most.
    assert.ok(best.overlap >= 0.7, `${what}: ${d.label} IoU ${best.overlap.toFixed(3)}`);
    assert.ok(
      Math.abs(best.score - d.score) <= 0.1,
      `${what}: ${d.label} score ${d.score.toFixed(3)} vs ${best.score.toFixed(3)}`,
    );
  }
}

describe('reduced-scale JPEG decoding in the detector stage', function () {
  this.timeout(120_000);

  it('finds the same objects in large real photos, boxes in full-frame pixels', async () => {
    // face-api samples: 1920 px wide, 22 people; decoded at 1/2 (960 px) for the 300x300 SSD.
    const photos: Uint8Array[] = [];
    for (let n = 1; n <= 6; n++) photos.push(new Uint8Array(await faceApiSample(n)));
    const full = await detectAll('off', photos);
    const reduced = await detectAll('auto', photos);
    let persons = 0;
    for (const [i, a] of full.entries()) {
      const b = reduced[i];
      const what = `face-api sample${i + 1}`;
      assert.ok(a.error === undefined && b !== undefined && b.error === undefined, what);
      assert.equal(a.width, 1920, what);
      assert.deepEqual([b.width, b.height], [a.width, a.height], what);
      assertFound(a.detections, b.detections, `${what}, full -> reduced`);
      assertFound(b.detections, a.detections, `${what}, reduced -> full`);
      for (const d of b.detections) {
        assert.ok(d.box.xmax <= a.width && d.box.ymax <= a.height, `${what}: box inside the frame`);
      }
      persons += b.detections.filter((d) => d.label === 'person' && d.score >= 0.5).length;
    }
    // Every person at the default threshold (21 of the 22 at full size, measured).
    assert.ok(persons >= 20, `${persons} persons found at reduced scale`);
  });

  it('decodes at full size when something reads the pixels (an observer, faces)', async () => {
    const withObserver = await DetectionPipeline.create(config('auto'), { observer: () => {} });
    try {
      assert.equal(withObserver.stage.decodeOptions.reduceTo, undefined);
    } finally {
      await withObserver.close();
    }
    const withFaces = await DetectionPipeline.create({
      ...config('auto'),
      faces: defaultConfig().faces,
    });
    try {
      assert.equal(withFaces.stage.decodeOptions.reduceTo, undefined);
    } finally {
      await withFaces.close();
    }
  });
});
