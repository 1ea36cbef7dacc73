import assert from 'node:assert/strict';
import path from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { openBag } from '../../src/bag/openBag.js';
import { runDetect } from '../../src/cli/detect.js';
import type { AppConfig } from '../../src/config/detectorConfig.js';
import { defaultConfig } from '../../src/config/parseConfig.js';
import { panZoomCrop } from '../../src/image/panZoom.js';
import { DetectionPipeline } from '../../src/pipeline/detectionPipeline.js';
import type { FrameResult } from '../../src/pipeline/frameResult.js';
import { processFrames } from '../../src/pipeline/processFrames.js';
import {
  defaultPhotoDir,
  sampleShots,
  sampleTopics,
  writeSampleRecording,
  type SampleShot,
} from '../../src/sample/sampleRecording.js';
import { BagFrameSource } from '../../src/sources/bagFrameSource.js';
import { motMetrics, type MotFrame, type MotMetrics } from '../../src/tracking/motMetrics.js';
import { tempDir } from '../bag/bagTestSupport.js';
import { panZoomTruth, withoutIgnored, type PhotoObject } from '../support/panZoomTruth.js';
import { modelsDir } from '../support/paths.js';

/** The default length of the bundled recording (`demo`, `sample`): 3 s at 10 fps per camera. */
const SECONDS = 3;
const FPS = 10;
const FRAMES = SECONDS * FPS;

describe('tracking on the bundled sample recording (ground truth from the pan/zoom geometry)', function () {
  this.timeout(600_000);
  const config: AppConfig = {
    ...defaultConfig(),
    modelsDir,
    inference: { ...defaultConfig().inference, threads: 2 },
    faces: { ...defaultConfig().faces, enabled: false },
  };
  let bag: string;
  let remove: () => Promise<void>;
  const objects = new Map<SampleShot['photo'], PhotoObject[]>();
  const photoSizes = new Map<SampleShot['photo'], { width: number; height: number }>();
  let results: FrameResult[];

  before(async () => {
    const temp = await tempDir();
    remove = temp.remove;
    bag = path.join(temp.dir, 'sample.mcap');
    await writeSampleRecording({ output: bag, seconds: SECONDS, fps: FPS });
    // The truth: what the detector finds on the original photos, once, at the publish threshold.
    const photos = ['astronaut.jpg', 'coffee.jpg', 'chelsea.jpg'] as const;
    const found = await runDetect({
      images: photos.map((p) => path.join(defaultPhotoDir, p)),
      config: { ...config, tracking: { ...config.tracking, enabled: false } },
    });
    photos.forEach((photo, k) => {
      const detections = found[k]?.detections ?? [];
      photoSizes.set(photo, { width: found[k]?.width ?? 0, height: found[k]?.height ?? 0 });
      objects.set(
        photo,
        detections.map((d, j) => ({ id: `${photo}#${j}:${d.label}`, box: d.box })),
      );
      console.log(
        `      ${photo}: ${detections.map((d) => `${d.label} ${d.score.toFixed(2)}`).join(', ')}`,
      );
    });
    // The run under test: the recording replayed through detector and tracker, as `replay` does.
    const pipeline = await DetectionPipeline.create(config);
    const reader = await openBag(bag);
    try {
      results = await lastValueFrom(
        processFrames(new BagFrameSource(reader), pipeline.stage).pipe(toArray()),
      );
    } finally {
      await reader.close();
      await pipeline.close();
    }
  });
  after(() => remove?.());

  /** Ground truth and confirmed tracks of one camera, frame by frame. */
  function framesOf(
    topic: string,
    camera: 'raw' | 'compressed',
    scoring: 'ignore truncated' | 'strict',
  ): MotFrame[] {
    const ofTopic = results.filter((r) => r.frame.topic === topic);
    assert.equal(ofTopic.length, FRAMES, `${topic}: frames`);
    return ofTopic.map((result, i) => {
      assert.equal(result.error, undefined, result.error?.message);
      const shot = sampleShots(i, FRAMES)[camera];
      const photo = objects.get(shot.photo) ?? [];
      const size = photoSizes.get(shot.photo) ?? { width: 0, height: 0 };
      const { truth, ignored } = panZoomTruth(
        photo,
        panZoomCrop(size.width, size.height, shot.view),
        {
          width: result.width,
          height: result.height,
        },
      );
      const all = result.detections.flatMap((d) =>
        d.trackId === undefined ? [] : [{ id: d.trackId, box: d.box }],
      );
      const tracks = scoring === 'strict' ? all : withoutIgnored(all, ignored);
      if (process.env.TRACK_DEBUG === camera) {
        console.log(
          i,
          truth.map((g) => `${g.id}[${box(g.box)}]`).join(' '),
          ignored.map((g) => `(ignored ${g.id}[${box(g.box)}])`).join(' '),
          '|',
          result.detections
            .map((d) => `${d.label}:${d.score.toFixed(2)}#${d.trackId ?? '-'}[${box(d.box)}]`)
            .join(' '),
        );
      }
      return { truth, tracks };
    });
  }

  const report = (name: string, m: MotMetrics): void =>
    console.log(
      `      ${name.padEnd(30)} ${m.frames} frames: IDF1 ${m.idf1.toFixed(3)} MOTA ${m.mota.toFixed(3)} ` +
        `IDSW ${m.idSwitches} Frag ${m.fragmentations} FN ${m.misses}/${m.truth} FP ${m.falsePositives} ` +
        `MOTP(IoU) ${m.motp.toFixed(3)}`,
    );

  /** Per camera and both together (ids prefixed by camera: they are per camera). */
  function score(scoring: 'ignore truncated' | 'strict'): MotMetrics[] {
    const raw = framesOf(sampleTopics.raw, 'raw', scoring);
    const compressed = framesOf(sampleTopics.compressed, 'compressed', scoring);
    const prefixed = (frames: MotFrame[], p: string): MotFrame[] =>
      frames.map((f) => ({
        truth: f.truth.map((o) => ({ ...o, id: p + o.id })),
        tracks: f.tracks.map((o) => ({ ...o, id: p + o.id })),
      }));
    const metrics = [
      motMetrics(raw),
      motMetrics(compressed),
      motMetrics([...prefixed(raw, 'raw/'), ...prefixed(compressed, 'compressed/')]),
    ];
    metrics.forEach((m, k) => report(`${['raw', 'compressed', 'both'][k]} (${scoring})`, m));
    return metrics;
  }

  it('IDF1 >= 0.9 and no identity switch on each camera and over both', () => {
    for (const m of score('ignore truncated')) {
      assert.equal(m.idSwitches, 0);
      assert.ok(m.idf1 >= 0.9, `IDF1 ${m.idf1}`);
    }
  });

  it('strict scoring (a tracked object mostly outside the frame is a false positive)', () => {
    const [raw, compressed, both] = score('strict');
    // Measured: raw IDF1 0.889 (5 "false positives": frames 25-29, where the zoom has put more
    // than half of the astronaut's box outside the picture and the tracker, rightly, goes on
    // boxing the person), compressed 0.941, both 0.921; no switch anywhere.
    for (const m of [raw, compressed, both]) assert.equal(m?.idSwitches, 0);
    assert.ok((both?.idf1 ?? 0) >= 0.9, `IDF1 ${both?.idf1}`);
  });
});

function box(b: { xmin: number; ymin: number; xmax: number; ymax: number }): string {
  return [b.xmin, b.ymin, b.xmax, b.ymax].map((v) => Math.round(v)).join(',');
}
