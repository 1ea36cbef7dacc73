import assert from 'node:assert/strict';
import path from 'node:path';
import { runDetect } from '../../src/cli/detect.js';
import { defaultConfig } from '../../src/config/parseConfig.js';
import type { AppConfig } from '../../src/config/detectorConfig.js';
import { cropMat } from '../../src/image/cropMat.js';
import type { Mat } from '../../src/image/cv.js';
import { readImageFile } from '../../src/image/readImageFile.js';
import { DetectionPipeline } from '../../src/pipeline/detectionPipeline.js';
import { motMetrics, type MotFrame, type MotMetrics } from '../../src/tracking/motMetrics.js';
import { fixturesDir, modelsDir } from '../support/paths.js';
import { syntheticSequence, type SequenceSpec } from '../support/syntheticSequence.js';

const photo = (name: string): string => path.join(fixturesDir, 'images', name);

/** The real detector's box of `label` on a fixture photo, cut out: a sprite. */
async function cutOut(file: string, label: string, config: AppConfig): Promise<Mat> {
  const [result] = await runDetect({ images: [photo(file)], config });
  const found = result?.detections.find((d) => d.label === label);
  assert.ok(found !== undefined, `the detector finds no ${label} in ${file}`);
  const image = readImageFile(photo(file));
  try {
    return cropMat(image, found.box);
  } finally {
    image.release();
  }
}

/** Runs the real detector + tracker over a sequence and scores the confirmed tracks. */
async function measure(pipeline: DetectionPipeline, spec: SequenceSpec): Promise<MotMetrics> {
  pipeline.stage.resetTracking();
  const frames: MotFrame[] = [];
  for (const { frame, truth } of syntheticSequence(spec)) {
    const result = await pipeline.stage.process(frame);
    assert.equal(result.error, undefined, result.error?.message);
    const tracks = result.detections.flatMap((d) =>
      d.trackId === undefined ? [] : [{ id: d.trackId, box: d.box }],
    );
    frames.push({ truth, tracks });
    if (process.env.TRACK_DEBUG === spec.name)
      console.log(
        frame.sequence,
        truth.map((g) => `${g.id}[${Math.round(g.box.xmin)},${Math.round(g.box.ymin)}]`).join(' '),
        '|',
        result.detections
          .map(
            (d) =>
              `${d.label}:${d.score.toFixed(2)}#${d.trackId ?? '-'}[${Math.round(d.box.xmin)},${Math.round(d.box.ymin)},${Math.round(d.box.xmax)},${Math.round(d.box.ymax)}]`,
          )
          .join(' '),
      );
  }
  const m = motMetrics(frames);
  console.log(
    `      ${spec.name.padEnd(28)} ${String(spec.frames).padStart(3)} frames @ ${String(spec.fps).padStart(2)} fps: ` +
      `IDF1 ${m.idf1.toFixed(3)} MOTA ${m.mota.toFixed(3)} IDSW ${m.idSwitches} Frag ${m.fragmentations} ` +
      `FN ${m.misses}/${m.truth} FP ${m.falsePositives} MOTP(IoU) ${m.motp.toFixed(3)}`,
  );
  return m;
}

describe('tracking on synthetic sequences (real photos, real detector, known motion)', function () {
  this.timeout(300_000);
  const config: AppConfig = {
    ...defaultConfig(),
    modelsDir,
    inference: { ...defaultConfig().inference, threads: 2 },
    faces: { ...defaultConfig().faces, enabled: false },
  };
  let pipeline: DetectionPipeline;
  const sprites: Record<string, Mat> = {};
  let background: Mat;

  before(async () => {
    sprites.person = await cutOut('astronaut.jpg', 'person', config);
    sprites.cameraman = await cutOut('camera.jpg', 'person', config);
    sprites.cat = await cutOut('chelsea.jpg', 'cat', config);
    sprites.cup = await cutOut('coffee.jpg', 'cup', config);
    // Nothing is detected on the launch pad photo at the default threshold.
    background = readImageFile(photo('rocket.jpg'));
    pipeline = await DetectionPipeline.create(config);
  });

  after(async () => {
    for (const mat of Object.values(sprites)) mat.release();
    background?.release();
    await pipeline?.close();
  });

  const s = (name: string): Mat => sprites[name] as Mat;

  /** Person along the top, cat along the bottom: paths never overlap. */
  const parallel = (fps: number, seconds: number): SequenceSpec => ({
    name: `parallel-${fps}fps-${seconds}s`,
    background,
    fps,
    frames: Math.round(fps * seconds),
    objects: [
      { id: 'person', sprite: s('person'), width: 190, height: 270, from: [0, 10], to: [440, 20] },
      { id: 'cat', sprite: s('cat'), width: 240, height: 170, from: [390, 305], to: [0, 300] },
    ],
  });

  it('parallel paths: no identity switch, IDF1 >= 0.9, at several speeds and frame rates', async () => {
    // 3 s (about 160 px/s), 1.5 s (twice as fast), at 5, 10 and 30 fps.
    for (const [fps, seconds] of [
      [10, 3],
      [30, 3],
      [5, 3],
      [10, 1.5],
      [5, 1.5],
    ] as const) {
      // Measured: IDF1 0.933-0.986 (the first frame of each object is always unconfirmed).
      const m = await measure(pipeline, parallel(fps, seconds));
      assert.equal(m.idSwitches, 0);
      assert.ok(m.idf1 >= 0.9, `IDF1 ${m.idf1}`);
    }
  });

  it('a person and a cat crossing, the cat in front', async () => {
    const m = await measure(pipeline, {
      name: 'crossing-person-cat',
      background,
      fps: 10,
      frames: 30,
      objects: [
        {
          id: 'person',
          sprite: s('person'),
          width: 190,
          height: 270,
          from: [0, 60],
          to: [440, 60],
        },
        { id: 'cat', sprite: s('cat'), width: 240, height: 170, from: [400, 260], to: [0, 250] },
      ],
    });
    // Measured: IDF1 0.958, no switch.
    assert.equal(m.idSwitches, 0);
    assert.ok(m.idf1 >= 0.9, `IDF1 ${m.idf1}`);
  });

  it('two people crossing, one in front of the other', async () => {
    const m = await measure(pipeline, {
      name: 'crossing-two-people',
      background,
      fps: 10,
      frames: 30,
      objects: [
        {
          id: 'astronaut',
          sprite: s('person'),
          width: 190,
          height: 270,
          from: [0, 40],
          to: [440, 60],
        },
        {
          id: 'cameraman',
          sprite: s('cameraman'),
          width: 170,
          height: 250,
          from: [460, 220],
          to: [0, 200],
        },
      ],
    });
    // Measured: IDF1 0.983, no switch.
    assert.equal(m.idSwitches, 0);
    assert.ok(m.idf1 >= 0.9, `IDF1 ${m.idf1}`);
  });

  it('a cat hidden behind a passing person for 0.7 s: at most one switch (a measured limit)', async () => {
    const m = await measure(pipeline, {
      name: 'occlusion-person-over-cat',
      background,
      // 1.5 s: the cat is under the person for about 0.7 s, within tracking.max_age_s.
      fps: 20,
      frames: 30,
      objects: [
        { id: 'cat', sprite: s('cat'), width: 220, height: 156, from: [200, 250], to: [240, 250] },
        {
          id: 'person',
          sprite: s('person'),
          width: 240,
          height: 340,
          from: [-60, 100],
          to: [460, 100],
        },
      ],
    });
    // Measured: IDF1 0.805, one switch. While the person slides over it, the detector boxes
    // only the cat's visible part, which seems to move right; the constant-velocity model
    // carries the hidden track on to the right and the returning cat gets a new id. A known
    // limit of SORT/ByteTrack motion models (OC-SORT's observation-centric re-update targets
    // it); this test pins today's numbers so a regression shows.
    assert.ok(m.idSwitches <= 1, `IDSW ${m.idSwitches}`);
    assert.ok(m.idf1 >= 0.75, `IDF1 ${m.idf1}`);
  });
});
