import assert from 'node:assert/strict';
import { boundedText, ImageError } from '../../src/errors.js';
import { decodeCompressed } from '../../src/image/decodeCompressed.js';
import { decodeImage } from '../../src/image/decodeImage.js';
import { header } from './imageTestSupport.js';

describe('error texts of hostile strings', () => {
  const huge = `tiff${'\n'.repeat(10)}${'x'.repeat(1_000_000)}`;

  it('cuts and escapes a string for a message', () => {
    assert.equal(boundedText('rgb8'), 'rgb8');
    assert.equal(boundedText('a\nb'), 'a\\nb');
    assert.equal(boundedText('x'.repeat(70), 4), 'xxxx... (70 characters)');
  });

  it('names a megabyte-long format or encoding in a few hundred characters', () => {
    assert.throws(
      () => decodeCompressed({ header, format: huge, data: new Uint8Array([0xff, 0xd8, 0xff]) }),
      (error: unknown) =>
        error instanceof ImageError &&
        error.code === 'IMAGE_UNSUPPORTED_ENCODING' &&
        error.message.length < 400 &&
        error.message.includes('(1000014 characters)'),
    );
    assert.throws(
      () =>
        decodeImage({
          header,
          height: 1,
          width: 1,
          encoding: huge,
          is_bigendian: 0,
          step: 3,
          data: new Uint8Array(3),
        }),
      (error: unknown) =>
        error instanceof ImageError &&
        error.code === 'IMAGE_UNSUPPORTED_ENCODING' &&
        error.message.length < 600 &&
        error.message.startsWith('Unsupported image encoding "tiff\\n\\n'),
    );
  });
});
