import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EmbeddingModelId } from '../../src/faces/faceModels.js';
import { FaceGallery } from '../../src/faces/gallery.js';
import { GalleryError, type ErrorCode as GalleryErrorCode } from '../../src/errors.js';
import { GALLERY_FORMAT, serializeGallery } from '../../src/faces/galleryFile.js';

const MODEL: EmbeddingModelId = { name: 'face_embedding', sha256: 'a'.repeat(64), dimension: 4 };

function unit(...values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / norm);
}

async function assertGalleryError(
  fn: () => unknown,
  code: GalleryErrorCode,
  pattern: RegExp,
): Promise<void> {
  await assert.rejects(
    async () => {
      await fn();
    },
    (error: unknown) => {
      assert.ok(error instanceof GalleryError, `expected a GalleryError, got ${String(error)}`);
      assert.equal(error.code, code);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('FaceGallery (file format, atomic writes, matching)', function () {
  let dir: string;
  let file: string;

  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faces-gallery-'));
    file = path.join(dir, 'sub', 'faces.json');
  });
  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts empty when the file does not exist, and writes it atomically with mode 0600', async function () {
    const gallery = await FaceGallery.open(file, MODEL);
    assert.deepEqual(gallery.list(), []);
    gallery.enroll('José', [unit(1, 0, 0, 0)], ['jose.jpg']);
    await gallery.save();
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(
      fs.readdirSync(path.dirname(file)),
      ['faces.json'],
      'no temporary file is left behind',
    );
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    assert.equal(raw.format, GALLERY_FORMAT);
    assert.equal(raw.version, 1);
    assert.deepEqual(raw.embedding_model, MODEL);
  });

  it('keeps non-ASCII names (José, Zoë, 王) through save and open, comparing them in Unicode NFC', async function () {
    const gallery = FaceGallery.empty(file, MODEL);
    gallery.enroll('Jose\u0301', [unit(1, 0, 0, 0)], ['a.jpg']); // decomposed é
    gallery.enroll('Zoë', [unit(0, 1, 0, 0)], ['b.jpg']);
    gallery.enroll('王', [unit(0, 0, 1, 0), unit(0, 0, 1, 0.1)], ['c.jpg', 'd.jpg']);
    await gallery.save();
    assert.ok(
      fs.readFileSync(file, 'utf8').includes('"王"'),
      'names are stored as UTF-8 text, not escapes',
    );
    const again = await FaceGallery.open(file, MODEL);
    assert.deepEqual(
      again.list().map((p) => p.name),
      ['José', 'Zoë', '王'],
    );
    assert.equal(again.list()[2]!.embeddings.length, 2);
    assert.deepEqual(again.match(unit(0, 0, 1, 0.05), 0.5).identity, '王');
    await assertGalleryError(
      () => again.enroll('José', [unit(1, 1, 0, 0)], []),
      'GALLERY_DUPLICATE_NAME',
      /José is already enrolled in .*faces\.json; remove them first/,
    );
  });

  it('matches by cosine similarity with a threshold; unknown faces have identity "" and score 0', function () {
    const gallery = FaceGallery.empty(file, MODEL);
    gallery.enroll('Ada', [unit(1, 0, 0, 0)], []);
    gallery.enroll('Bo', [unit(0, 1, 0, 0)], []);
    const match = gallery.match(unit(1, 0.2, 0, 0), 0.5);
    assert.equal(match.identity, 'Ada');
    assert.ok(Math.abs(match.score - 1 / Math.hypot(1, 0.2)) < 1e-6);
    assert.deepEqual(gallery.match(unit(0, 0, 1, 0), 0.5), { identity: '', score: 0 });
    assert.deepEqual(FaceGallery.empty(file, MODEL).match(unit(1, 0, 0, 0), 0.5), {
      identity: '',
      score: 0,
    });
  });

  it('removes people, and refuses unknown names listing who is enrolled', async function () {
    const gallery = FaceGallery.empty(file, MODEL);
    gallery.enroll('Ada', [unit(1, 0, 0, 0)], []);
    gallery.enroll('Bo', [unit(0, 1, 0, 0)], []);
    gallery.remove('Ada');
    assert.deepEqual(
      gallery.list().map((p) => p.name),
      ['Bo'],
    );
    await assertGalleryError(
      () => gallery.remove('Cy'),
      'GALLERY_UNKNOWN_NAME',
      /Cy is not enrolled in .*; enrolled: Bo/,
    );
  });

  it('refuses blank names and names with control characters', async function () {
    const gallery = FaceGallery.empty(file, MODEL);
    await assertGalleryError(
      () => gallery.enroll('  ', [unit(1, 0, 0, 0)], []),
      'GALLERY_INVALID_NAME',
      /not a usable name/,
    );
    await assertGalleryError(
      () => gallery.enroll('a\nb', [unit(1, 0, 0, 0)], []),
      'GALLERY_INVALID_NAME',
      /without control characters/,
    );
    assert.throws(() => gallery.enroll('Ada', [new Float32Array(3)], []), /must be 4-d, got 3/);
    assert.throws(() => gallery.enroll('Ada', [], []), /at least one embedding/);
  });

  it('refuses a gallery made with another embedding model or dimension', async function () {
    const gallery = FaceGallery.empty(file, MODEL);
    gallery.enroll('Ada', [unit(1, 0, 0, 0)], []);
    await gallery.save();
    await assertGalleryError(
      () => FaceGallery.open(file, { ...MODEL, sha256: 'b'.repeat(64) }),
      'GALLERY_MODEL_MISMATCH',
      /was made with embedding model face_embedding \(sha256 aaaaaaaaaaaa…, 4-d\); this program uses face_embedding \(sha256 bbbbbbbbbbbb…, 4-d\).*enrol the people again.*select the model it was made with \(faces\.embedding: mobilefacenet/,
    );
    await assertGalleryError(
      () => FaceGallery.open(file, { ...MODEL, dimension: 512 }),
      'GALLERY_MODEL_MISMATCH',
      /4-d\); this program uses .*512-d/,
    );
    await assertGalleryError(
      () => FaceGallery.open(file, { ...MODEL, name: 'arcface' }),
      'GALLERY_MODEL_MISMATCH',
      /this program uses arcface/,
    );
  });

  it('refuses corrupt files, saying what is wrong and what to do', async function () {
    const write = (text: string): void => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    };
    const good = JSON.parse(
      serializeGallery({
        embeddingModel: MODEL,
        people: [{ name: 'Ada', embeddings: [unit(1, 0, 0, 0)], sources: [], enrolledAt: '' }],
      }),
    ) as Record<string, unknown>;
    const cases: [string, RegExp][] = [
      ['{"format": "mobilenet-ros/face-gal', /is corrupt: not JSON/],
      ['[1, 2]', /is corrupt: no "format": "mobilenet-ros\/face-gallery"/],
      [
        JSON.stringify({ ...good, version: 2 }),
        /is corrupt: format version 2, this program reads version 1/,
      ],
      [
        JSON.stringify({ ...good, embedding_model: 'x' }),
        /"embedding_model" must be \{name, sha256, dimension\}/,
      ],
      [JSON.stringify({ ...good, people: {} }), /"people" must be a list/],
      [
        JSON.stringify({ ...good, people: [{ embeddings: [[1, 0, 0, 0]] }] }),
        /people\[0\] has no name/,
      ],
      [
        JSON.stringify({ ...good, people: [{ name: 'Ada', embeddings: [] }] }),
        /people\[0\] \(Ada\) has no embeddings/,
      ],
      [
        JSON.stringify({ ...good, people: [{ name: 'Ada', embeddings: [[1, 0, 0]] }] }),
        /people\[0\]\.embeddings\[0\] \(Ada\) must be 4 finite numbers/,
      ],
      [
        JSON.stringify({
          ...good,
          people: [
            { name: 'Ada', embeddings: [[1, 0, 0, 0]] },
            { name: 'Ada', embeddings: [[0, 1, 0, 0]] },
          ],
        }),
        /people\[1\]: the name "Ada" appears twice/,
      ],
    ];
    for (const [text, pattern] of cases) {
      write(text);
      await assertGalleryError(() => FaceGallery.open(file, MODEL), 'GALLERY_CORRUPT', pattern);
      await assertGalleryError(
        () => FaceGallery.open(file, MODEL),
        'GALLERY_CORRUPT',
        /Restore it from a backup, or move it away and enrol the people again/,
      );
    }
  });

  it('reports a write failure naming the file, and leaves no temporary file', async function () {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.mkdirSync(file); // a folder where the file should go: rename fails
    const gallery = FaceGallery.empty(file, MODEL);
    gallery.enroll('Ada', [unit(1, 0, 0, 0)], []);
    await assertGalleryError(
      () => gallery.save(),
      'GALLERY_WRITE_FAILED',
      /cannot write face gallery .*faces\.json/,
    );
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['faces.json']);
  });
});
