import assert from 'node:assert/strict';

import { ImageError } from '../../src/errors.js';
import {
  checkImageLimits,
  checkImageSize,
  DEFAULT_IMAGE_LIMITS,
} from '../../src/image/imageLimits.js';

describe('imageLimits', () => {
  it('lets every real camera through by default: 4K, 20 MP, 50 MP phones, 61 MP full frame', () => {
    for (const [width, height] of [
      [3840, 2160],
      [5472, 3648],
      [8160, 6144],
      [9504, 6336],
      [16384, 4096],
    ] as const) {
      checkImageSize(width, height, DEFAULT_IMAGE_LIMITS, 'camera');
      checkImageSize(height, width, DEFAULT_IMAGE_LIMITS, 'camera');
    }
  });

  it('refuses a side over max_side or more pixels than max_pixels, saying what to do', () => {
    const limits = { maxSide: 1000, maxPixels: 500_000 };
    checkImageSize(1000, 500, limits, 'frame');
    const cases: [number, number, RegExp][] = [
      [
        1001,
        1,
        /claims 1001x1 \(1001 pixels, 0 MiB decoded\), a side over image\.max_side = 1000 px/,
      ],
      [1, 1001, /a side over image\.max_side = 1000 px/],
      [
        1000,
        501,
        /claims 1000x501 \(501000 pixels, 1 MiB decoded\), more than image\.max_pixels = 500000 pixels/,
      ],
      [30000, 30000, /900000000 pixels, 2\.5 GiB decoded/],
    ];
    for (const [width, height, pattern] of cases) {
      assert.throws(
        () => checkImageSize(width, height, limits, "CompressedImage format 'jpeg'"),
        (err: unknown) => {
          assert.ok(err instanceof ImageError);
          assert.equal(err.code, 'IMAGE_TOO_LARGE');
          assert.match(err.message, /^CompressedImage format 'jpeg' claims /);
          assert.match(err.message, pattern);
          assert.match(
            err.message,
            /raise image\.max_side \/ image\.max_pixels \(up to 16384 \/ 1073741824\); otherwise the data is corrupt or hostile/,
          );
          return true;
        },
      );
    }
  });

  it('checks limits given as settings, quoting the parameter and its range', () => {
    assert.equal(checkImageLimits(DEFAULT_IMAGE_LIMITS), DEFAULT_IMAGE_LIMITS);
    assert.throws(
      () => checkImageLimits({ maxSide: 16385, maxPixels: 1 }),
      /'maxSide' must be an integer in \[1, 16384\], got 16385/,
    );
    assert.throws(
      () => checkImageLimits({ maxSide: 1, maxPixels: 0.5 }),
      /'maxPixels' must be an integer in \[1, 1073741824\], got 0.5/,
    );
  });
});
