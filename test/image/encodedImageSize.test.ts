import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { ImageError } from '../../src/errors.js';
import { encodeJpeg, encodePng } from '../../src/image/encodeImage.js';
import { readEncodedImageSize, sniffImageFormat } from '../../src/image/encodedImageSize.js';
import { loadPhoto, photoPath } from './imageTestSupport.js';
import {
  bytes,
  segment,
  sofOffset,
  sofPayload,
  withJpegSize,
  withPngSize,
} from './hostileImages.js';

const SOI = [0xff, 0xd8];
const EOI = [0xff, 0xd9];
const APP0 = segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);

function assertDecodeFailed(data: Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => readEncodedImageSize(data, 'test input'),
    (err: unknown) => {
      assert.ok(err instanceof ImageError, `expected ImageError, got ${String(err)}`);
      assert.equal(err.code, 'IMAGE_DECODE_FAILED');
      assert.match(err.message, /^Cannot decode test input \(\d+ bytes, starting [0-9a-f ]+\): /);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('readEncodedImageSize', () => {
  const PHOTOS = ['astronaut.jpg', 'camera.jpg', 'chelsea.jpg', 'coffee.jpg', 'rocket.jpg'];

  it('reads the size of every fixture photo as OpenCV decodes it, JPEG and PNG', () => {
    for (const name of PHOTOS) {
      const mat = loadPhoto(name);
      try {
        const expected = { width: mat.cols, height: mat.rows };
        const jpeg = new Uint8Array(readFileSync(photoPath(name)));
        assert.deepEqual(readEncodedImageSize(jpeg), { format: 'jpeg', ...expected }, name);
        assert.deepEqual(
          readEncodedImageSize(encodePng(mat)),
          { format: 'png', ...expected },
          `${name} as PNG`,
        );
      } finally {
        mat.release();
      }
    }
  });

  it('reads progressive and other SOFn frame headers, skipping DHT, DAC and APPn', () => {
    for (const sof of [0xc1, 0xc2, 0xc3, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]) {
      const data = bytes(
        SOI,
        APP0,
        segment(0xc4, [0, 1, 2, 3]), // DHT: not a frame header despite being ff c4
        segment(0xcc, [0, 1]), // DAC
        segment(0xc8, [9, 9]), // JPG (reserved)
        segment(sof, sofPayload(1234, 567)),
        EOI,
      );
      assert.deepEqual(
        readEncodedImageSize(data),
        { format: 'jpeg', width: 1234, height: 567 },
        sof.toString(16),
      );
    }
  });

  it('skips fill bytes, stuffed zeros, stray bytes and parameterless markers as libjpeg does', () => {
    const data = bytes(
      SOI,
      [0xff, 0xff, 0xff], // fill before a marker
      APP0,
      [0x12, 0x34, 0xff, 0x00, 0x56], // stray bytes and a stuffed ff 00: no marker
      [0xff, 0xd0], // RST0 and TEM carry no length
      [0xff, 0x01],
      segment(0xfe, [0x68, 0x69]), // COM
      segment(0xc0, sofPayload(640, 480)),
      EOI,
    );
    assert.deepEqual(readEncodedImageSize(data), { format: 'jpeg', width: 640, height: 480 });
  });

  it('reports what a forged header claims, so the caller can refuse it before decoding', () => {
    const jpeg = new Uint8Array(readFileSync(photoPath('rocket.jpg')));
    assert.deepEqual(readEncodedImageSize(withJpegSize(jpeg, 30000, 30000)), {
      format: 'jpeg',
      width: 30000,
      height: 30000,
    });
    assert.deepEqual(readEncodedImageSize(withJpegSize(jpeg, 65535, 65535)), {
      format: 'jpeg',
      width: 65535,
      height: 65535,
    });
    const mat = loadPhoto('chelsea.jpg');
    const png = encodePng(mat);
    mat.release();
    // Full 32-bit sizes, read unsigned.
    assert.deepEqual(readEncodedImageSize(withPngSize(png, 0xffffffff, 100000)), {
      format: 'png',
      width: 0xffffffff,
      height: 100000,
    });
  });

  it('refuses a claimed size of 0 as a broken header', () => {
    const jpeg = new Uint8Array(readFileSync(photoPath('coffee.jpg')));
    assertDecodeFailed(withJpegSize(jpeg, 0, 0), /claims 0x0, an empty image/);
    assertDecodeFailed(withJpegSize(jpeg, 600, 0), /claims 600x0/);
    const mat = loadPhoto('coffee.jpg');
    const png = encodePng(mat);
    mat.release();
    assertDecodeFailed(withPngSize(png, 0, 400), /claims 0x400/);
  });

  it('refuses a JPEG truncated anywhere before the end of its frame header', () => {
    const jpeg = new Uint8Array(readFileSync(photoPath('astronaut.jpg')));
    const sofEnd = sofOffset(jpeg) + 9; // ff c0, length, precision, height, width
    for (let cut = 3; cut < sofEnd; cut++) {
      assertDecodeFailed(jpeg.subarray(0, cut), /truncated/);
    }
    assert.deepEqual(readEncodedImageSize(jpeg.subarray(0, sofEnd)), {
      format: 'jpeg',
      width: 512,
      height: 512,
    });
  });

  it('refuses a JPEG without a frame header, with scan data first, or with garbage segments', () => {
    assertDecodeFailed(
      bytes(SOI, APP0, EOI),
      /ends \(EOI marker ff d9 at offset 20\) before any frame header/,
    );
    assertDecodeFailed(
      bytes(SOI, APP0, segment(0xda, [1, 1, 0, 0, 63, 0]), [1, 2, 3], EOI),
      /scan data \(SOS marker ff da at offset 20\) comes before any frame header/,
    );
    assertDecodeFailed(bytes(SOI, APP0), /no frame header .* truncated or not a JPEG/);
    assertDecodeFailed(bytes(SOI, SOI, EOI), /second start marker/);
    assertDecodeFailed(bytes(SOI, [0xff, 0xe1, 0x00, 0x01], EOI), /length 1 \(at least 2\)/);
    assertDecodeFailed(
      bytes(SOI, segment(0xc0, [8, 0, 1, 0]), EOI),
      /frame header .* is 6 bytes, under 8/,
    );
    // Bytes that are no segments at all: a "segment" longer than the data.
    assertDecodeFailed(
      bytes(SOI, 0xff, new Array<number>(200).fill(7), EOI),
      /ends at byte 205, inside segment ff 07 of 1799 bytes at offset 2.*truncated/,
    );
  });

  it('refuses a PNG that is truncated or does not start with IHDR', () => {
    const mat = loadPhoto('chelsea.jpg');
    const png = encodePng(mat);
    mat.release();
    for (const cut of [8, 16, 23]) {
      assertDecodeFailed(
        png.subarray(0, cut),
        /too few for the IHDR header \(24\); the PNG is truncated/,
      );
    }
    const renamed = new Uint8Array(png);
    renamed.set([0x49, 0x44, 0x41, 0x54], 12); // IDAT first
    assertDecodeFailed(renamed, /first chunk is "IDAT" of 13 bytes, not IHDR/);
  });

  it('leaves other formats to the caller, and recognises signatures', () => {
    assert.equal(readEncodedImageSize(new Uint8Array([0x42, 0x4d, 1, 2, 3, 4])), undefined);
    assert.equal(readEncodedImageSize(new Uint8Array(0)), undefined);
    assert.equal(sniffImageFormat(new Uint8Array([0xff, 0xd8])), undefined);
    const mat = loadPhoto('camera.jpg');
    try {
      assert.equal(sniffImageFormat(encodeJpeg(mat)), 'jpeg');
      assert.equal(sniffImageFormat(encodePng(mat)), 'png');
    } finally {
      mat.release();
    }
  });
});
