import assert from 'node:assert/strict';

import { ImageError } from '../../src/errors.js';
import cv from '../../src/image/cv.js';
import type { Mat } from '../../src/image/cv.js';
import { decodeImage } from '../../src/image/decodeImage.js';
import type { Image } from '../../src/messages/types.js';
import {
  bytesOf,
  diff,
  grayOf,
  grayToBgr,
  loadPhoto,
  makeImageMessage,
  patchworkMat,
  type MessageLayout,
} from './imageTestSupport.js';

const BAYER = ['bayer_rggb8', 'bayer_bggr8', 'bayer_gbrg8', 'bayer_grbg8'] as const;

/** Decodes, checks the result is a BGR frame of the message's size, returns its bytes. */
function decodeBytes(msg: Image): Uint8Array {
  const mat = decodeImage(msg);
  try {
    assert.equal(mat.type, cv.CV_8UC3);
    assert.equal(mat.cols, msg.width);
    assert.equal(mat.rows, msg.height);
    return bytesOf(mat);
  } finally {
    mat.release();
  }
}

function assertImageError(fn: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ImageError, `expected ImageError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('decodeImage', () => {
  // coffee: 600x400 (even, for 4:2:2); chelsea: 451x300 (odd width).
  let coffee: Mat;
  let chelsea: Mat;
  let coffeeBgr: Uint8Array;
  let chelseaBgr: Uint8Array;
  before(() => {
    coffee = loadPhoto('coffee.jpg');
    chelsea = loadPhoto('chelsea.jpg');
    coffeeBgr = bytesOf(coffee);
    chelseaBgr = bytesOf(chelsea);
  });
  after(() => {
    coffee.release();
    chelsea.release();
  });

  const layouts: [string, MessageLayout][] = [
    ['packed rows', {}],
    ['padded rows in a buffer at an odd offset', { padding: 7, byteOffset: 3 }],
  ];

  for (const [layoutName, layout] of layouts) {
    describe(layoutName, () => {
      for (const encoding of ['rgb8', 'bgr8', 'rgba8', 'bgra8', '8UC3']) {
        it(`${encoding} round-trips a photo exactly`, () => {
          for (const [mat, bgr] of [
            [coffee, coffeeBgr],
            [chelsea, chelseaBgr],
          ] as const) {
            assert.deepEqual(decodeBytes(makeImageMessage(mat, encoding, layout)), bgr);
          }
        });
      }

      for (const encoding of ['mono8', '8UC1']) {
        it(`${encoding} gives the grey value in all three channels`, () => {
          const got = decodeBytes(makeImageMessage(chelsea, encoding, layout));
          assert.deepEqual(got, grayToBgr(grayOf(chelseaBgr)));
        });
      }

      for (const encoding of ['yuv422', 'yuv422_yuy2']) {
        it(`${encoding} decodes a photo within chroma-subsampling error`, () => {
          const { mean, max } = diff(
            decodeBytes(makeImageMessage(coffee, encoding, layout)),
            coffeeBgr,
          );
          // Measured 0.71 / 22: the loss is 4:2:2 chroma at colour edges, not a bias.
          assert.ok(mean < 1.5, `mean abs error ${mean}`);
          assert.ok(max < 40, `max abs error ${max}`);
        });
      }

      for (const encoding of BAYER) {
        it(`${encoding} demosaics a photo within interpolation error`, () => {
          const { mean } = diff(decodeBytes(makeImageMessage(coffee, encoding, layout)), coffeeBgr);
          assert.ok(mean < 6, `mean abs error ${mean}`); // measured 3.6
        });
      }
    });
  }

  describe('mono16', () => {
    // Samples are grey * 257 plus up to +-127, so the low byte varies but must round away.
    const expected = (): Uint8Array => grayToBgr(grayOf(chelseaBgr));
    it('scales little-endian samples to 8 bits (v * 255 / 65535)', () => {
      assert.deepEqual(decodeBytes(makeImageMessage(chelsea, 'mono16', {})), expected());
    });
    it('honours is_bigendian', () => {
      const msg = makeImageMessage(chelsea, 'mono16', { bigEndian: true });
      assert.deepEqual(decodeBytes(msg), expected());
      // The same bytes read as little-endian are wrong: the flag is what makes it right.
      const { mean } = diff(decodeBytes({ ...msg, is_bigendian: 0 }), expected());
      assert.ok(mean > 20, `mean abs error ${mean}`);
    });
    it('handles padded rows, with or without a byte swap', () => {
      for (const bigEndian of [false, true]) {
        const msg = makeImageMessage(chelsea, 'mono16', { padding: 6, byteOffset: 2, bigEndian });
        assert.deepEqual(decodeBytes(msg), expected());
      }
    });
    it('maps 0 and 65535 to 0 and 255', () => {
      const data = new Uint8Array([0, 0, 0xff, 0xff]);
      const msg: Image = {
        ...makeImageMessage(chelsea, 'mono16'),
        width: 2,
        height: 1,
        step: 4,
        data,
      };
      assert.deepEqual(decodeBytes(msg), new Uint8Array([0, 0, 0, 255, 255, 255]));
    });
  });

  describe('Bayer pattern names (ROS names vs OpenCV constants)', () => {
    // Solid 16 px cells of distinct colours: away from cell edges, demosaicing a flat colour is
    // exact, so only the right pattern reproduces the colours; a swapped name gives others.
    const cells: [number, number, number][][] = [
      [
        [220, 30, 40],
        [30, 200, 60],
        [40, 50, 210],
      ],
      [
        [230, 210, 30],
        [120, 40, 160],
        [90, 170, 180],
      ],
    ];
    const size = 16;

    for (const mosaic of BAYER) {
      it(`a ${mosaic} mosaic decodes to its colours only as ${mosaic}`, () => {
        const source = patchworkMat(cells, size);
        try {
          const msg = makeImageMessage(source, mosaic);
          for (const decodeAs of BAYER) {
            const got = decodeBytes({ ...msg, encoding: decodeAs });
            let worst = 0;
            cells.forEach((row, cy) =>
              row.forEach(([r, g, b], cx) => {
                for (let y = cy * size + 3; y < (cy + 1) * size - 3; y++) {
                  for (let x = cx * size + 3; x < (cx + 1) * size - 3; x++) {
                    const i = (y * source.cols + x) * 3;
                    worst = Math.max(
                      worst,
                      Math.abs(got[i]! - b),
                      Math.abs(got[i + 1]! - g),
                      Math.abs(got[i + 2]! - r),
                    );
                  }
                }
              }),
            );
            if (decodeAs === mosaic) assert.ok(worst <= 1, `${decodeAs}: colour off by ${worst}`);
            else assert.ok(worst > 60, `${decodeAs} also reproduced a ${mosaic} mosaic (${worst})`);
          }
        } finally {
          source.release();
        }
      });
    }
  });

  it('decodes flat YUV 4:2:2 colours to within 2 levels (BT.601 limited range)', () => {
    const source = patchworkMat(
      [
        [
          [255, 0, 0],
          [0, 255, 0],
          [0, 0, 255],
          [128, 128, 128],
        ],
      ],
      8,
    );
    try {
      const expected = bytesOf(source);
      for (const encoding of ['yuv422', 'yuv422_yuy2']) {
        const got = decodeBytes(makeImageMessage(source, encoding, { padding: 4 }));
        assert.ok(diff(got, expected).max <= 2, `${encoding}: ${diff(got, expected).max}`);
      }
    } finally {
      source.release();
    }
  });

  it('does not keep a reference to the message buffer', () => {
    const msg = makeImageMessage(chelsea, 'rgb8');
    const mat = decodeImage(msg);
    try {
      msg.data.fill(0); // a driver reusing its buffer
      assert.deepEqual(bytesOf(mat), chelseaBgr);
    } finally {
      mat.release();
    }
  });

  describe('bad input', () => {
    const small = (): Image => ({
      header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' },
      width: 4,
      height: 2,
      encoding: 'rgb8',
      is_bigendian: 0,
      step: 12,
      data: new Uint8Array(24),
    });

    it('rejects a step smaller than width x bytes per pixel, quoting the values', () => {
      assertImageError(
        () => decodeImage({ ...small(), step: 8, data: new Uint8Array(16) }),
        'IMAGE_INVALID',
        /step 8 is smaller than width 4 x 3 bytes per pixel \(rgb8\) = 12/,
      );
    });
    it('rejects data whose length is not step x height', () => {
      assertImageError(
        () => decodeImage({ ...small(), data: new Uint8Array(23) }),
        'IMAGE_INVALID',
        /data has 23 bytes but step 12 x height 2 = 24/,
      );
      assertImageError(
        () => decodeImage({ ...small(), data: new Uint8Array(25) }),
        'IMAGE_INVALID',
        /data has 25 bytes/,
      );
    });
    it('rejects an unknown encoding and lists the supported ones', () => {
      assertImageError(
        () => decodeImage({ ...small(), encoding: 'nv12' }),
        'IMAGE_UNSUPPORTED_ENCODING',
        /"nv12".*supported: rgb8, bgr8, rgba8, bgra8, mono8, mono16, yuv422, yuv422_yuy2, bayer_rggb8, .*8UC3, 8UC1/,
      );
      assertImageError(
        () => decodeImage({ ...small(), encoding: '16UC1' }),
        'IMAGE_UNSUPPORTED_ENCODING',
        /"16UC1"/,
      );
    });
    it('rejects zero, fractional and oversized sides', () => {
      for (const [width, height] of [
        [0, 2],
        [4, 0],
        [16385, 1],
        [1, 16385],
        [2.5, 2],
        [-4, 2],
      ] as const) {
        assertImageError(
          () => decodeImage({ ...small(), width, height }),
          'IMAGE_INVALID',
          new RegExp(`size ${width}x${height} is invalid.*\\[1, 16384\\]`),
        );
      }
    });
    it('accepts the largest side, 16384 px', () => {
      const msg: Image = { ...small(), encoding: 'mono8', width: 16384, height: 1, step: 16384 };
      assert.equal(decodeBytes({ ...msg, data: new Uint8Array(16384) }).length, 16384 * 3);
    });
    it('applies the given limits before converting: side (IMAGE_INVALID) and pixels (IMAGE_TOO_LARGE)', () => {
      const msg: Image = { ...small(), encoding: 'mono8', width: 100, height: 80, step: 100 };
      const data = new Uint8Array(8000);
      const limits = { maxSide: 100, maxPixels: 8000 };
      assert.equal(decodeImage({ ...msg, data }, { limits }).cols, 100);
      assertImageError(
        () => decodeImage({ ...msg, data }, { limits: { ...limits, maxSide: 99 } }),
        'IMAGE_INVALID',
        /size 100x80 is invalid.*\[1, 99\] \(image\.max_side\)/,
      );
      assertImageError(
        () => decodeImage({ ...msg, data }, { limits: { ...limits, maxPixels: 7999 } }),
        'IMAGE_TOO_LARGE',
        /Image 'mono8' claims 100x80 \(8000 pixels.*more than image\.max_pixels = 7999 pixels/,
      );
      // By default a 16384x16384 frame is over the pixel budget, before its (absent) data is looked at.
      assertImageError(
        () => decodeImage({ ...msg, width: 16384, height: 16384, step: 16384 }),
        'IMAGE_TOO_LARGE',
        /claims 16384x16384/,
      );
    });
    it('rejects an odd width for 4:2:2 and an odd step for mono16', () => {
      assertImageError(
        () =>
          decodeImage({
            ...small(),
            encoding: 'yuv422',
            width: 3,
            step: 6,
            data: new Uint8Array(12),
          }),
        'IMAGE_INVALID',
        /width 3 is odd, but yuv422 packs pixels in pairs/,
      );
      assertImageError(
        () => decodeImage({ ...small(), encoding: 'mono16', step: 9, data: new Uint8Array(18) }),
        'IMAGE_INVALID',
        /step 9 is odd/,
      );
    });
    it('rejects data that is not a typed array, e.g. a plain array from rclnodejs', () => {
      const data = Array.from({ length: 24 }, () => 0) as unknown as Uint8Array;
      assertImageError(
        () => decodeImage({ ...small(), data }),
        'IMAGE_INVALID',
        /must be a Uint8Array, got an Array of length 24.*enableTypedArray/,
      );
    });
    it('decodes tiny images of every encoding without crashing', () => {
      for (const encoding of ['rgb8', 'mono8', 'mono16', 'yuv422', ...BAYER]) {
        const width = encoding === 'yuv422' ? 2 : 1;
        const bpp =
          encoding === 'mono16' || encoding === 'yuv422' ? 2 : encoding === 'rgb8' ? 3 : 1;
        const msg: Image = {
          ...small(),
          encoding,
          width,
          height: 1,
          step: width * bpp,
          data: new Uint8Array(width * bpp).fill(200),
        };
        assert.equal(decodeBytes(msg).length, width * 3, encoding);
      }
    });
  });
});
