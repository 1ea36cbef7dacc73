import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MATCH_THRESHOLDS, type FacesConfig } from '../../src/config/facesConfig.js';
import { cosineSimilarity } from '../../src/faces/embeddingMath.js';
import type { FaceResult } from '../../src/faces/faceResult.js';
import type { FaceStage } from '../../src/faces/faceStage.js';
import { FaceGallery } from '../../src/faces/gallery.js';
import { enrollFromImages } from '../../src/faces/galleryEnroll.js';
import { GalleryError } from '../../src/faces/galleryError.js';
import cv from '../../src/image/cv.js';
import type { Mat } from '../../src/image/cv.js';
import { cropMat } from '../../src/image/cropMat.js';
import { decodeEncodedImage } from '../../src/image/decodeEncodedImage.js';
import { FrameImage } from '../../src/image/frameImage.js';
import { readImageFile } from '../../src/image/readImageFile.js';
import { writeImageFile } from '../../src/image/writeImageFile.js';
import { iou, type Box } from '../../src/postprocess/box.js';
import { createTestStage, faceApiSample, photoPath } from './faceTestSupport.js';

/** A photo transformed, with the map of source boxes into it. */
interface Variant {
  readonly name: string;
  readonly make: (mat: Mat) => Mat;
  readonly mapBox: (b: Box, width: number) => Box;
}

const VARIANTS: readonly Variant[] = [
  {
    name: 'shifted by 40x30 px',
    make: (m) =>
      m.warpAffine(
        new cv.Mat(
          [
            [1, 0, 40],
            [0, 1, 30],
          ],
          cv.CV_64F,
        ),
        new cv.Size(m.cols, m.rows),
      ),
    mapBox: (b) => ({ xmin: b.xmin + 40, ymin: b.ymin + 30, xmax: b.xmax + 40, ymax: b.ymax + 30 }),
  },
  {
    name: 'scaled to 60%',
    make: (m) => m.resize(Math.round(m.rows * 0.6), Math.round(m.cols * 0.6), 0, 0, cv.INTER_AREA),
    mapBox: (b) => ({
      xmin: b.xmin * 0.6,
      ymin: b.ymin * 0.6,
      xmax: b.xmax * 0.6,
      ymax: b.ymax * 0.6,
    }),
  },
  {
    name: 'mirrored',
    make: (m) => m.flip(1),
    mapBox: (b, width) => ({
      xmin: width - b.xmax,
      ymin: b.ymin,
      xmax: width - b.xmin,
      ymax: b.ymax,
    }),
  },
];

/**
 * Faces left out of the same-face check, and why: in camera.jpg the man is in profile, bent to
 * his viewfinder, and the landmark model puts the hidden eye elsewhere on the mirrored image
 * (cosine 0.58); in sample2.jpg the woman at x 366 holds a finger to her mouth, turned away
 * (0.37 when shifted). Both are still found; their embeddings are just not pose-invariant.
 */
const HARD_FACES: readonly { image: string; near: Box }[] = [
  { image: 'camera.jpg', near: { xmin: 198, ymin: 110, xmax: 261, ymax: 196 } },
  { image: 'sample2.jpg', near: { xmin: 366, ymin: 124, xmax: 529, ymax: 414 } },
];

async function facesOf(stage: FaceStage, mat: Mat): Promise<FaceResult[]> {
  const image = new FrameImage(mat.copy());
  try {
    return await stage.process(image);
  } finally {
    image.close();
  }
}

/**
 * Each embedding model with the bounds measured for it (see MATCH_THRESHOLDS for the numbers):
 * the least cosine of a face and its transformed copy, and the highest mean over pairs of
 * different people.
 */
const MODELS: readonly {
  label: string;
  config: Partial<FacesConfig>;
  threshold: number;
  sameFloor: number;
  differentMean: number;
}[] = [
  {
    label: "face-api's 128-d model",
    config: { embedding: 'faceapi' },
    threshold: MATCH_THRESHOLDS.faceapi,
    sameFloor: 0.95,
    differentMean: 0.94,
  },
  {
    label: 'MobileFaceNet, int8',
    config: { embedding: 'mobilefacenet', embeddingForm: 'int8' },
    threshold: MATCH_THRESHOLDS.mobilefacenet,
    sameFloor: 0.8,
    differentMean: 0.2,
  },
  {
    label: 'MobileFaceNet, float',
    config: { embedding: 'mobilefacenet', embeddingForm: 'float' },
    threshold: MATCH_THRESHOLDS.mobilefacenet,
    sameFloor: 0.8,
    differentMean: 0.2,
  },
];

for (const { label, config, threshold, sameFloor, differentMean } of MODELS)
  describe(`face verification on real photos (aligned embeddings: ${label})`, function () {
    this.timeout(180_000);
    let stage: FaceStage;
    const photos = new Map<string, Mat>();
    const faces = new Map<string, FaceResult[]>();
    let dir: string;

    before(async function () {
      stage = await createTestStage({
        attributes: false,
        expression: false,
        ...config,
        matchThreshold: threshold,
      });
      photos.set('astronaut.jpg', readImageFile(photoPath('astronaut.jpg')));
      photos.set('camera.jpg', readImageFile(photoPath('camera.jpg')));
      for (let n = 1; n <= 6; n++)
        photos.set(`sample${n}.jpg`, decodeEncodedImage(await faceApiSample(n), `sample${n}.jpg`));
      for (const [name, mat] of photos) faces.set(name, await facesOf(stage, mat));
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faces-verify-'));
    });
    after(async function () {
      await stage.close();
      for (const mat of photos.values()) mat.release();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it(`the same face shifted, scaled or mirrored has cosine >= ${sameFloor} (24 faces, 2 hard ones aside)`, async function () {
      const scores: number[] = [];
      for (const [name, mat] of photos) {
        for (const variant of VARIANTS) {
          const transformed = variant.make(mat);
          const found = await facesOf(stage, transformed);
          transformed.release();
          for (const face of faces.get(name)!) {
            if (HARD_FACES.some((h) => h.image === name && iou(h.near, face.box) > 0.5)) continue;
            const expected = variant.mapBox(face.box, mat.cols);
            const same = found.find((f) => iou(f.box, expected) > 0.5);
            assert.ok(
              same !== undefined,
              `${name} ${variant.name}: the face at ${JSON.stringify(face.box)} was not found again`,
            );
            const cosine = cosineSimilarity(face.embedding, same.embedding);
            scores.push(cosine);
            assert.ok(
              cosine >= sameFloor,
              `${name} ${variant.name}: face at ${JSON.stringify(face.box)} has cosine ${cosine.toFixed(3)}`,
            );
          }
        }
      }
      assert.equal(scores.length, 22 * VARIANTS.length);
    });

    it(`different people average below ${differentMean} and stay below the match threshold ${threshold}`, function () {
      const all = [...faces.entries()].flatMap(([name, list]) =>
        list.map((f, i) => ({ id: `${name}#${i}`, face: f })),
      );
      assert.equal(all.length, 24);
      // sample1 #2 (x 1470) and sample3 #1 (x 1077) look like the same woman: left out (used below).
      const samePerson = (a: string, b: string): boolean =>
        [a, b].sort().join() === ['sample1.jpg#2', 'sample3.jpg#1'].join();
      const similarities: number[] = [];
      for (let i = 0; i < all.length; i++) {
        for (let j = i + 1; j < all.length; j++) {
          if (samePerson(all[i]!.id, all[j]!.id)) continue;
          similarities.push(cosineSimilarity(all[i]!.face.embedding, all[j]!.face.embedding));
        }
      }
      const mean = similarities.reduce((a, b) => a + b, 0) / similarities.length;
      const max = Math.max(...similarities);
      assert.equal(similarities.length, (24 * 23) / 2 - 1);
      assert.ok(mean < differentMean, `mean ${mean.toFixed(3)}`);
      assert.ok(max < threshold, `max ${max.toFixed(3)} reaches the match threshold ${threshold}`);
    });

    it('enrols a person from one photo (Zoë) and recognises her in a different photo; others stay unknown', async function () {
      // Her face in sample1.jpg, cropped so that the enrolment image shows exactly one face.
      const file = path.join(dir, 'zoe.jpg');
      const face = faces.get('sample1.jpg')!.find((f) => f.box.xmin > 1400)!;
      const crop = cropMat(photos.get('sample1.jpg')!, {
        xmin: face.box.xmin - 60,
        ymin: face.box.ymin - 60,
        xmax: face.box.xmax + 60,
        ymax: face.box.ymax + 60,
      });
      writeImageFile(file, crop);
      crop.release();

      const gallery = FaceGallery.empty(path.join(dir, 'gallery.json'), stage.embeddingModel);
      const person = await enrollFromImages(stage, gallery, 'Zoë', [file]);
      assert.equal(person.name, 'Zoë');
      assert.equal(fs.statSync(gallery.file).mode & 0o777, 0o600);

      stage.setGallery(await FaceGallery.open(gallery.file, stage.embeddingModel));
      try {
        const found = await facesOf(stage, photos.get('sample3.jpg')!);
        const identities = found.map((f) => f.identity);
        assert.deepEqual(
          identities.filter((n) => n !== ''),
          ['Zoë'],
          JSON.stringify(found.map((f) => [f.box, f.identity, f.identityScore])),
        );
        const zoe = found.find((f) => f.identity === 'Zoë')!;
        assert.ok(zoe.box.xmin > 1000 && zoe.box.xmax < 1350, 'the middle woman of sample3');
        assert.ok(zoe.identityScore >= threshold);
        for (const name of [
          'astronaut.jpg',
          'camera.jpg',
          'sample2.jpg',
          'sample4.jpg',
          'sample5.jpg',
          'sample6.jpg',
        ]) {
          const others = await facesOf(stage, photos.get(name)!);
          assert.deepEqual(
            others.map((f) => f.identity).filter((n) => n !== ''),
            [],
            name,
          );
        }
      } finally {
        stage.setGallery(FaceGallery.empty('/nonexistent/gallery.json', stage.embeddingModel));
      }
    });

    it('refuses to enrol from an image with no face or several, naming the image; nothing is saved', async function () {
      const galleryFile = path.join(dir, 'refused.json');
      const gallery = FaceGallery.empty(galleryFile, stage.embeddingModel);
      const several = path.join(dir, 'group.jpg');
      writeImageFile(several, photos.get('sample1.jpg')!);
      await assert.rejects(
        () => enrollFromImages(stage, gallery, 'Ada', [photoPath('coffee.jpg')]),
        (error: unknown) =>
          error instanceof GalleryError &&
          error.code === 'ENROLL_NO_FACE' &&
          /no face found in .*coffee\.jpg/.test(error.message),
      );
      await assert.rejects(
        () => enrollFromImages(stage, gallery, 'Ada', [photoPath('astronaut.jpg'), several]),
        (error: unknown) =>
          error instanceof GalleryError &&
          error.code === 'ENROLL_SEVERAL_FACES' &&
          /3 faces found in .*group\.jpg \(at \[.*\]\); enrolment needs exactly one/.test(
            error.message,
          ),
      );
      assert.equal(fs.existsSync(galleryFile), false);
      gallery.enroll('Ada', [faces.get('astronaut.jpg')![0]!.embedding], []);
      await assert.rejects(
        () => enrollFromImages(stage, gallery, 'Ada', [photoPath('astronaut.jpg')]),
        (error: unknown) =>
          error instanceof GalleryError && error.code === 'GALLERY_DUPLICATE_NAME',
      );
    });
  });
