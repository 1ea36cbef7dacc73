import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { ImageError } from '../../src/errors.js';
import cv from '../../src/image/cv.js';
import { decodeCompressed } from '../../src/image/decodeCompressed.js';
import { encodePng } from '../../src/image/encodeImage.js';
import type { CompressedImage } from '../../src/messages/types.js';
import { bytesOf, diff, header, loadPhoto, photoPath } from './imageTestSupport.js';

function message(format: string, data: Uint8Array): CompressedImage {
  return { header, format, data };
}

function assertImageError(fn: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ImageError, `expected ImageError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('decodeCompressed', () => {
  const jpeg = new Uint8Array(readFileSync(photoPath('chelsea.jpg')));

  it('decodes a real JPEG to the same pixels as reading the file', () => {
    const reference = loadPhoto('chelsea.jpg');
    try {
      for (const format of [
        'jpeg',
        'rgb8; jpeg compressed bgr8',
        'bgr8; jpeg compressed bgr8',
        '',
      ]) {
        const mat = decodeCompressed(message(format, jpeg));
        try {
          assert.equal(mat.type, cv.CV_8UC3);
          assert.deepEqual([mat.cols, mat.rows], [451, 300]);
          assert.deepEqual(bytesOf(mat), bytesOf(reference));
        } finally {
          mat.release();
        }
      }
    } finally {
      reference.release();
    }
  });

  it('decodes a grey JPEG to three equal channels', () => {
    const bytes = new Uint8Array(readFileSync(photoPath('camera.jpg')));
    const mat = decodeCompressed(message('mono8; jpeg compressed mono8', bytes));
    try {
      assert.equal(mat.type, cv.CV_8UC3);
      const px = bytesOf(mat);
      for (let i = 0; i < px.length; i += 3 * 997) {
        assert.equal(px[i], px[i + 1]);
        assert.equal(px[i], px[i + 2]);
      }
    } finally {
      mat.release();
    }
  });

  it('decodes PNG losslessly, also from a view at an offset in a larger buffer', () => {
    const photo = loadPhoto('coffee.jpg');
    try {
      const png = encodePng(photo);
      const holder = new Uint8Array(png.length + 5);
      holder.set(png, 5);
      for (const data of [png, holder.subarray(5)]) {
        const mat = decodeCompressed(message('bgr8; png compressed bgr8', data));
        try {
          assert.equal(diff(bytesOf(mat), bytesOf(photo)).max, 0);
        } finally {
          mat.release();
        }
      }
    } finally {
      photo.release();
    }
  });

  it('refuses a truncated JPEG, naming the format and the byte count', () => {
    const truncated = jpeg.subarray(0, 30000);
    assertImageError(
      () => decodeCompressed(message('rgb8; jpeg compressed bgr8', truncated)),
      'IMAGE_DECODE_FAILED',
      /format 'rgb8; jpeg compressed bgr8' \(30000 bytes, starting ff d8 ff .*truncated/,
    );
  });

  it('refuses a truncated PNG', () => {
    const photo = loadPhoto('chelsea.jpg');
    const png = encodePng(photo);
    photo.release();
    assertImageError(
      () => decodeCompressed(message('png', png.subarray(0, 5000))),
      'IMAGE_DECODE_FAILED',
      /format 'png' \(5000 bytes, starting 89 50 4e 47/,
    );
  });

  it('refuses data that is neither JPEG nor PNG, and empty data', () => {
    assertImageError(
      () => decodeCompressed(message('jpeg', new Uint8Array([1, 2, 3, 4]))),
      'IMAGE_DECODE_FAILED',
      /format 'jpeg' \(4 bytes, starting 01 02 03 04\): the data is neither a JPEG nor a PNG/,
    );
    assertImageError(
      () => decodeCompressed(message('jpeg', new Uint8Array(0))),
      'IMAGE_DECODE_FAILED',
      /\(0 bytes/,
    );
  });

  it('refuses a JPEG with a corrupt header, without crashing', () => {
    // A JPEG signature and End Of Image marker around bytes that are no JPEG segments.
    const broken = new Uint8Array([
      0xff,
      0xd8,
      0xff,
      ...new Array<number>(200).fill(7),
      0xff,
      0xd9,
    ]);
    assertImageError(
      () => decodeCompressed(message('jpeg', broken)),
      'IMAGE_DECODE_FAILED',
      /format 'jpeg' \(205 bytes/,
    );
  });

  it('refuses compressedDepth and other formats as unsupported', () => {
    assertImageError(
      () => decodeCompressed(message('16UC1; compressedDepth png', jpeg)),
      'IMAGE_UNSUPPORTED_ENCODING',
      /compressedDepth/,
    );
    assertImageError(
      () => decodeCompressed(message('bgr8; tiff compressed bgr8', jpeg)),
      'IMAGE_UNSUPPORTED_ENCODING',
      /'bgr8; tiff compressed bgr8' is not supported; supported: jpeg, png/,
    );
  });
});
