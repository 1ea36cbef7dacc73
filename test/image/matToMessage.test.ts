import assert from 'node:assert/strict';

import { decodeCompressed } from '../../src/image/decodeCompressed.js';
import { decodeImage } from '../../src/image/decodeImage.js';
import { matToCompressedImage } from '../../src/image/matToCompressedImage.js';
import { matToImageMessage } from '../../src/image/matToImageMessage.js';
import cv from '../../src/image/cv.js';
import type { Mat } from '../../src/image/cv.js';
import { bytesOf, diff, grayOf, grayToBgr, header, loadPhoto } from './imageTestSupport.js';

describe('matToImageMessage / matToCompressedImage', () => {
  let photo: Mat;
  let bgr: Uint8Array;
  before(() => {
    photo = loadPhoto('chelsea.jpg'); // 451 wide: odd row length in bytes
    bgr = bytesOf(photo);
  });
  after(() => photo.release());

  it('builds packed rgb8 / bgr8 messages that decode back exactly', () => {
    for (const encoding of ['rgb8', 'bgr8'] as const) {
      const msg = matToImageMessage(photo, header, encoding);
      assert.deepEqual(
        { ...msg, data: undefined },
        {
          header,
          height: 300,
          width: 451,
          encoding,
          is_bigendian: 0,
          step: 451 * 3,
          data: undefined,
        },
      );
      assert.ok(msg.data instanceof Uint8Array);
      assert.equal(msg.data.length, 451 * 3 * 300);
      const back = decodeImage(msg);
      assert.deepEqual(bytesOf(back), bgr);
      back.release();
    }
    const rgb = matToImageMessage(photo, header, 'rgb8').data;
    assert.deepEqual([rgb[0], rgb[1], rgb[2]], [bgr[2], bgr[1], bgr[0]]);
  });

  it('builds mono8 with Rec. 601 luma (within rounding)', () => {
    const msg = matToImageMessage(photo, header, 'mono8');
    assert.equal(msg.step, 451);
    assert.ok(diff(msg.data, grayOf(bgr)).max <= 1);
    const back = decodeImage(msg);
    assert.deepEqual(bytesOf(back), grayToBgr(msg.data));
    back.release();
  });

  it('accepts a grey Mat and does not share the header object', () => {
    const gray = photo.cvtColor(cv.COLOR_BGR2GRAY);
    try {
      const mono = matToImageMessage(gray, header, 'mono8');
      assert.deepEqual(mono.data, bytesOf(gray));
      const colour = matToImageMessage(gray, header, 'bgr8');
      assert.deepEqual(colour.data, grayToBgr(bytesOf(gray)));
      assert.notEqual(mono.header, header);
      assert.notEqual(mono.header.stamp, header.stamp);
    } finally {
      gray.release();
    }
  });

  it('builds CompressedImage with image_transport format strings', () => {
    const jpeg = matToCompressedImage(photo, header, 'jpeg');
    assert.equal(jpeg.format, 'bgr8; jpeg compressed bgr8');
    const png = matToCompressedImage(photo, header, 'png');
    assert.equal(png.format, 'bgr8; png compressed bgr8');
    const fromPng = decodeCompressed(png);
    assert.deepEqual(bytesOf(fromPng), bgr);
    fromPng.release();
    const fromJpeg = decodeCompressed(jpeg);
    assert.ok(diff(bytesOf(fromJpeg), bgr).mean < 3);
    fromJpeg.release();
    const small = matToCompressedImage(photo, header, 'jpeg', { jpegQuality: 10 });
    assert.ok(small.data.length < jpeg.data.length / 2);
  });

  it('names grey images mono8 in the format', () => {
    const gray = photo.cvtColor(cv.COLOR_BGR2GRAY);
    assert.equal(matToCompressedImage(gray, header, 'png').format, 'mono8; png compressed mono8');
    gray.release();
  });

  it('refuses unknown encodings and formats', () => {
    assert.throws(
      () => matToImageMessage(photo, header, 'rgba8' as 'rgb8'),
      /'encoding' must be 'rgb8', 'bgr8' or 'mono8', got "rgba8"/,
    );
    assert.throws(
      () => matToCompressedImage(photo, header, 'webp' as 'png'),
      /'format' must be 'jpeg' or 'png', got "webp"/,
    );
  });
});
