import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ImageError } from '../../src/errors.js';
import cv from '../../src/image/cv.js';
import { encodeJpeg, encodePng } from '../../src/image/encodeImage.js';
import { readImageFile } from '../../src/image/readImageFile.js';
import { writeImageFile } from '../../src/image/writeImageFile.js';
import { bytesOf, diff, loadPhoto, photoPath } from './imageTestSupport.js';

describe('readImageFile / writeImageFile / encodeJpeg / encodePng', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'image-test-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every fixture photo as 8-bit BGR at its size, the grey one included', () => {
    const sizes: Record<string, [number, number]> = {
      'astronaut.jpg': [512, 512],
      'camera.jpg': [512, 512],
      'chelsea.jpg': [451, 300],
      'coffee.jpg': [600, 400],
      'rocket.jpg': [640, 427],
    };
    for (const [name, size] of Object.entries(sizes)) {
      const mat = readImageFile(photoPath(name));
      assert.equal(mat.type, cv.CV_8UC3, name);
      assert.deepEqual([mat.cols, mat.rows], size, name);
      mat.release();
    }
  });

  it('refuses a missing file with IMAGE_INVALID and the path', () => {
    const missing = path.join(dir, 'nope.jpg');
    assert.throws(
      () => readImageFile(missing),
      (err: unknown) => {
        assert.ok(err instanceof ImageError);
        assert.equal(err.code, 'IMAGE_INVALID');
        assert.ok(err.message.includes(`'${missing}'`), err.message);
        assert.match(err.message, /ENOENT/);
        return true;
      },
    );
  });

  it('refuses an undecodable or truncated file with IMAGE_DECODE_FAILED and the path', () => {
    const text = path.join(dir, 'notes.png');
    writeFileSync(text, 'not an image');
    const truncated = path.join(dir, 'cut.jpg');
    writeFileSync(truncated, readFileSync(photoPath('coffee.jpg')).subarray(0, 20000));
    for (const file of [text, truncated]) {
      assert.throws(
        () => readImageFile(file),
        (err: unknown) => {
          assert.ok(err instanceof ImageError);
          assert.equal(err.code, 'IMAGE_DECODE_FAILED');
          assert.ok(err.message.includes(`image file '${file}'`), err.message);
          return true;
        },
      );
    }
  });

  it('writes PNG losslessly and JPEG close to the original, by extension', () => {
    const photo = loadPhoto('astronaut.jpg');
    try {
      const original = bytesOf(photo);
      for (const [name, maxMean] of [
        ['a.png', 0],
        ['a.PNG', 0],
        ['a.jpg', 3],
        ['a.jpeg', 3],
      ] as const) {
        const file = path.join(dir, name);
        writeImageFile(file, photo);
        const back = readImageFile(file);
        assert.ok(diff(bytesOf(back), original).mean <= maxMean, name);
        back.release();
      }
      assert.throws(
        () => writeImageFile(path.join(dir, 'a.bmp'), photo),
        /\.jpg, \.jpeg or \.png.*a\.bmp/,
      );
    } finally {
      photo.release();
    }
  });

  it('encodes JPEG with the requested quality and checks its range', () => {
    const photo = loadPhoto('coffee.jpg');
    try {
      const low = encodeJpeg(photo, 20);
      const high = encodeJpeg(photo, 95);
      assert.ok(low.length < high.length / 2, `${low.length} vs ${high.length}`);
      assert.deepEqual([...low.subarray(0, 3)], [0xff, 0xd8, 0xff]);
      assert.ok(encodeJpeg(photo).length > low.length); // default 90
      assert.throws(
        () => encodeJpeg(photo, 101),
        /'quality' must be an integer in \[0, 100\], got 101/,
      );
      assert.deepEqual([...encodePng(photo).subarray(1, 4)], [0x50, 0x4e, 0x47]);
    } finally {
      photo.release();
    }
  });

  it('refuses Mats that are not 8-bit grey or BGR', () => {
    const float = new cv.Mat(4, 4, cv.CV_32FC3, [0, 0, 0]);
    assert.throws(
      () => encodePng(float),
      /'mat' must be an 8-bit BGR \(CV_8UC3\) or grey \(CV_8UC1\) Mat, got 4x4 CV_32FC3/,
    );
    float.release();
    assert.throws(() => encodePng(float), TypeError); // released: empty
  });
});
