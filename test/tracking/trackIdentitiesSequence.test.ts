import assert from 'node:assert/strict';
import path from 'node:path';
import { runDetect } from '../../src/cli/detect.js';
import type { AppConfig } from '../../src/config/detectorConfig.js';
import { defaultConfig } from '../../src/config/parseConfig.js';
import { enrollFromImages } from '../../src/faces/galleryEnroll.js';
import { FaceGallery } from '../../src/faces/gallery.js';
import { cropMat } from '../../src/image/cropMat.js';
import cv, { type Mat } from '../../src/image/cv.js';
import { FrameImage } from '../../src/image/frameImage.js';
import { readImageFile } from '../../src/image/readImageFile.js';
import { DetectionPipeline } from '../../src/pipeline/detectionPipeline.js';
import { tempDir } from '../bag/bagTestSupport.js';
import { fixturesDir, modelsDir } from '../support/paths.js';
import { syntheticSequence } from '../support/syntheticSequence.js';

const photo = (name: string): string => path.join(fixturesDir, 'images', name);

describe('identities on person tracks (real models, a known person walking, face hidden)', function () {
  this.timeout(300_000);
  let remove: () => Promise<void>;
  let pipeline: DetectionPipeline;
  let sprite: Mat;
  let covered: Mat;
  let background: Mat;

  before(async () => {
    const temp = await tempDir();
    remove = temp.remove;
    const config: AppConfig = {
      ...defaultConfig(),
      modelsDir,
      inference: { ...defaultConfig().inference, threads: 2 },
      faces: {
        ...defaultConfig().faces,
        enabled: true,
        region: 'persons',
        attributes: false,
        gallery: path.join(temp.dir, 'faces.json'),
      },
    };
    // The astronaut cut out along the detector's person box; her face box inside the cut-out.
    const [found] = await runDetect({
      images: [photo('astronaut.jpg')],
      config: { ...config, faces: { ...config.faces, enabled: false } },
    });
    const person = found?.detections.find((d) => d.label === 'person');
    assert.ok(person !== undefined);
    pipeline = await DetectionPipeline.create(config);
    const faces = pipeline.faces;
    assert.ok(faces !== undefined);
    const image = readImageFile(photo('astronaut.jpg'));
    try {
      sprite = cropMat(image, person.box);
      const frame = new FrameImage(image.copy());
      let face;
      try {
        [face] = await faces.process(frame, { region: 'frame' });
      } finally {
        frame.close();
      }
      assert.ok(face !== undefined);
      // Her face covered by a grey rectangle (the face box): no face to see.
      covered = sprite.copy();
      const w = face.box.xmax - face.box.xmin;
      const h = face.box.ymax - face.box.ymin;
      covered.drawRectangle(
        new cv.Rect(
          Math.round(face.box.xmin - person.box.xmin),
          Math.round(face.box.ymin - person.box.ymin),
          Math.round(w),
          Math.round(h),
        ),
        new cv.Vec3(128, 128, 128),
        -1,
      );
    } finally {
      image.release();
    }
    // Enrolled from one photo (the original, whole astronaut photo).
    const gallery = FaceGallery.empty(config.faces.gallery, faces.embeddingModel);
    await enrollFromImages(faces, gallery, 'Eileen', [photo('astronaut.jpg')]);
    faces.setGallery(gallery);
    background = readImageFile(photo('rocket.jpg'));
  });

  after(async () => {
    sprite?.release();
    covered?.release();
    background?.release();
    await pipeline?.close();
    await remove?.();
  });

  it('the track keeps her name while her face is hidden; faces carry the track id', async () => {
    const hidden = (i: number): boolean => i >= 8 && i < 20; // 1.2 s at 10 fps
    const rows: string[] = [];
    const names: string[] = [];
    const trackIds: (string | undefined)[] = [];
    for (const { frame } of syntheticSequence({
      name: 'identity-hidden-face',
      background,
      fps: 10,
      frames: 30,
      objects: [
        {
          id: 'astronaut',
          sprite,
          spriteAt: (i) => (hidden(i) ? covered : sprite),
          width: 190,
          height: 270,
          from: [0, 60],
          to: [440, 80],
        },
      ],
    })) {
      const result = await pipeline.stage.process(frame);
      assert.equal(result.error, undefined, result.error?.message);
      const person = result.detections.find((d) => d.label === 'person');
      const name =
        result.trackIdentities?.find((t) => t.trackId === person?.trackId)?.identity ?? '';
      names.push(name);
      trackIds.push(person?.trackId);
      const faces = result.faces ?? [];
      rows.push(
        `${frame.sequence}${hidden(frame.sequence) ? ' hidden' : ''}: person #${person?.trackId ?? '-'} ` +
          `name '${name}' | faces ${faces.map((f) => `#${f.trackId ?? '-'} '${f.identity}' (frame '${f.frameIdentity ?? f.identity}' ${(f.frameIdentityScore ?? f.identityScore).toFixed(2)})`).join(' ')}`,
      );
      // One person: a face on a track is on hers; with her track confirmed and her face
      // visible, her face carries its id.
      for (const f of faces) {
        if (f.trackId !== undefined) assert.equal(f.trackId, person?.trackId, rows.at(-1));
      }
      if (person?.trackId !== undefined && !hidden(frame.sequence)) {
        assert.ok(
          faces.some((f) => f.trackId === person.trackId),
          rows.at(-1),
        );
      }
      if (hidden(frame.sequence)) {
        assert.ok(
          faces.every((f) => f.frameIdentity !== 'Eileen'),
          `the face is covered: ${rows.at(-1)}`,
        );
      }
    }
    console.log(rows.map((r) => `      ${r}`).join('\n'));
    // Named once minHits (2) + identity_min_votes (3) frames have passed, then in every frame
    // where her person box is on the track. Measured: with her face covered the detector misses
    // the person in some frames (10-13, 19: no box to name; the tracker keeps the track through
    // them), and in the others the track is named although no face matches.
    const first = names.indexOf('Eileen');
    assert.ok(first >= 0 && first <= 5, `named at frame ${first}`);
    names.slice(first).forEach((name, k) => {
      const i = first + k;
      if (trackIds[i] !== undefined) assert.equal(name, 'Eileen', rows[i]);
    });
    assert.deepEqual(new Set(trackIds.filter((t) => t !== undefined)), new Set(['1']), 'one track');
    assert.ok(
      names.filter((n, i) => hidden(i) && n === 'Eileen').length >= 6,
      'named in hidden frames',
    );
  });
});
