import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ImageError } from '../../src/errors.js';
import { decodeCompressed, decodeCompressedAsync } from '../../src/image/decodeCompressed.js';
import { decodeEncodedImage } from '../../src/image/decodeEncodedImage.js';
import { encodePng } from '../../src/image/encodeImage.js';
import { decodeFrameImageAsync } from '../../src/image/frameImage.js';
import { DEFAULT_IMAGE_LIMITS } from '../../src/image/imageLimits.js';
import { readImageFile } from '../../src/image/readImageFile.js';
import type { CompressedImage } from '../../src/messages/types.js';
import { withJpegSize, withPngSize } from './hostileImages.js';
import { header, loadPhoto, photoPath } from './imageTestSupport.js';

function message(format: string, data: Uint8Array): CompressedImage {
  return { header, format, data };
}

function tooLarge(pattern: RegExp): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof ImageError, `expected ImageError, got ${String(err)}`);
    assert.equal(err.code, 'IMAGE_TOO_LARGE');
    assert.match(err.message, pattern);
    assert.match(err.message, /refused before decoding/);
    assert.match(err.message, /raise image\.max_side \/ image\.max_pixels/);
    return true;
  };
}

/** Resident memory now and at its peak so far, in MiB. */
function memory(): { rss: number; peak: number } {
  return {
    rss: process.memoryUsage.rss() / 2 ** 20,
    peak: process.resourceUsage().maxRSS / 1024,
  };
}

describe('decodeEncodedImage: the pixel budget is checked before decoding', () => {
  const rocket = new Uint8Array(readFileSync(photoPath('rocket.jpg')));
  // 74 kB of JPEG claiming 900 megapixels: OpenCV alone would allocate 2.5 GiB for it.
  const bomb = withJpegSize(rocket, 30000, 30000);
  let png: Uint8Array;
  before(() => {
    const mat = loadPhoto('coffee.jpg');
    png = encodePng(mat);
    mat.release();
  });

  it('refuses a JPEG claiming 30000x30000 on every decoding path, naming size and limit', async () => {
    const pattern =
      /claims 30000x30000 \(900000000 pixels, 2\.5 GiB decoded\), a side over image\.max_side = 16384 px/;
    assert.throws(() => decodeEncodedImage(bomb, 'forged.jpg'), tooLarge(/^forged\.jpg claims/));
    assert.throws(() => decodeCompressed(message('jpeg', bomb)), tooLarge(pattern));
    await assert.rejects(decodeCompressedAsync(message('jpeg', bomb)), tooLarge(pattern));
    await assert.rejects(
      decodeFrameImageAsync({ kind: 'compressed', image: message('jpeg', bomb) }),
      tooLarge(/CompressedImage format 'jpeg' claims 30000x30000/),
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'budget-'));
    try {
      const file = path.join(dir, 'bomb.jpg');
      writeFileSync(file, bomb);
      assert.throws(
        () => readImageFile(file),
        tooLarge(/image file '.*bomb\.jpg' claims 30000x30000/),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a 16000x16000 JPEG, within the side limit, by its pixel count', () => {
    assert.throws(
      () => decodeCompressed(message('jpeg', withJpegSize(rocket, 16000, 16000))),
      tooLarge(
        new RegExp(
          `claims 16000x16000 \\(256000000 pixels, 732 MiB decoded\\), more than image\\.max_pixels = ${DEFAULT_IMAGE_LIMITS.maxPixels} pixels`,
        ),
      ),
    );
  });

  it('refuses a PNG whose IHDR claims a huge size', async () => {
    for (const [width, height] of [
      [100000, 100000],
      [0xffffffff, 1],
      [10000, 10000],
    ] as const) {
      const forged = withPngSize(png, width, height);
      assert.throws(
        () => decodeCompressed(message('png', forged)),
        tooLarge(new RegExp(`claims ${width}x${height} `)),
      );
      await assert.rejects(
        decodeCompressedAsync(message('png', forged)),
        tooLarge(new RegExp(`claims ${width}x${height} `)),
      );
    }
  });

  it('refuses bombs without allocating their pixels (resident memory grows < 100 MB)', async () => {
    const forged = [bomb, withJpegSize(rocket, 16000, 16000), withPngSize(png, 30000, 30000)];
    const before = memory();
    for (let i = 0; i < 20; i++) {
      for (const data of forged) {
        const format = data[0] === 0xff ? 'jpeg' : 'png';
        assert.throws(() => decodeCompressed(message(format, data)), tooLarge(/claims/));
        await assert.rejects(decodeCompressedAsync(message(format, data)), tooLarge(/claims/));
      }
    }
    const after = memory();
    // The peak catches an allocation that was freed again before `after` was read.
    assert.ok(after.rss - before.rss < 100, `rss grew ${(after.rss - before.rss).toFixed(0)} MiB`);
    assert.ok(
      after.peak - Math.max(before.peak, before.rss) < 100,
      `peak rss grew from ${before.peak.toFixed(0)} to ${after.peak.toFixed(0)} MiB`,
    );
  });

  it('applies the limits given, at exactly the limit', () => {
    const coffee = new Uint8Array(readFileSync(photoPath('coffee.jpg'))); // 600x400
    const decode = (maxSide: number, maxPixels: number): void =>
      decodeCompressed(message('jpeg', coffee), { limits: { maxSide, maxPixels } }).release();
    decode(600, 240000);
    assert.throws(() => decode(599, 240000), tooLarge(/claims 600x400 .*image\.max_side = 599 px/));
    assert.throws(
      () => decode(600, 239999),
      tooLarge(/claims 600x400 .*more than image\.max_pixels = 239999 pixels/),
    );
    assert.throws(
      () => decodeCompressed(message('png', png), { limits: { maxSide: 600, maxPixels: 1000 } }),
      tooLarge(/claims 600x400/),
    );
  });

  it('checks the size OpenCV would allocate: a forged header decodes at the claimed size', () => {
    // The compressed data no longer matches (libjpeg warns), but the frame has the forged size:
    // the header, not the data, decides the allocation.
    const mat = decodeEncodedImage(withJpegSize(rocket, 1280, 854), 'forged rocket.jpg');
    try {
      assert.deepEqual([mat.cols, mat.rows], [1280, 854]);
    } finally {
      mat.release();
    }
  });
});
