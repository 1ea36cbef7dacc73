import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { decodeEncodedImageAsync } from '../../src/image/decodeEncodedImage.js';
import { encodeJpeg, encodePng } from '../../src/image/encodeImage.js';
import cv from '../../src/image/cv.js';
import { decodeFrameImageAsync } from '../../src/image/frameImage.js';
import { chooseJpegReduction, reducedSize } from '../../src/image/jpegReduction.js';
import { faceApiSample } from '../faces/faceTestSupport.js';
import { header, loadPhoto, photoPath } from './imageTestSupport.js';

describe('jpegReduction', () => {
  it('chooses the largest factor that keeps both sides at least the size asked for', () => {
    const model = { width: 300, height: 300 };
    assert.equal(chooseJpegReduction({ width: 640, height: 480 }, model), 1);
    assert.equal(chooseJpegReduction({ width: 600, height: 600 }, model), 2);
    assert.equal(chooseJpegReduction({ width: 1920, height: 1080 }, model), 2); // 1/4: 270 high
    assert.equal(chooseJpegReduction({ width: 1920, height: 1280 }, model), 4);
    assert.equal(chooseJpegReduction({ width: 4000, height: 3000 }, model), 8);
    assert.equal(chooseJpegReduction({ width: 16384, height: 16384 }, model), 8);
    // Rounded up as libjpeg does: 2393 / 8 -> 300 (299.1).
    assert.equal(chooseJpegReduction({ width: 2393, height: 2393 }, model), 8);
    assert.equal(chooseJpegReduction({ width: 2392, height: 2393 }, model), 4);
    assert.deepEqual(reducedSize({ width: 2393, height: 1 }, 8), { width: 300, height: 1 });
    assert.throws(
      () => chooseJpegReduction({ width: 0, height: 10 }, model),
      /'source.width' must be a positive integer, got 0/,
    );
  });

  it('decodes a real JPEG at each reduction to the size libjpeg computes, close to a resize', async () => {
    const photo = loadPhoto('rocket.jpg'); // 640x427: odd height, so sizes round up
    const jpeg = encodeJpeg(photo, 95);
    try {
      for (const [reduceTo, factor] of [
        [{ width: 320, height: 214 }, 2],
        [{ width: 160, height: 107 }, 4],
        [{ width: 80, height: 54 }, 8],
      ] as const) {
        const decoded = await decodeEncodedImageAsync(jpeg, 'rocket', { reduceTo });
        try {
          assert.equal(decoded.reduction, factor);
          assert.deepEqual([decoded.sourceWidth, decoded.sourceHeight], [640, 427]);
          assert.deepEqual([decoded.mat.cols, decoded.mat.rows], [reduceTo.width, reduceTo.height]);
          assert.equal(decoded.mat.type, cv.CV_8UC3);
          // The same picture: mean difference to an area-averaged resize of the full decode.
          const area = photo.resize(reduceTo.height, reduceTo.width, 0, 0, cv.INTER_AREA);
          const mean = decoded.mat.absdiff(area).mean();
          area.release();
          const meanOfChannels = (mean.w + mean.x + mean.y) / 3;
          assert.ok(meanOfChannels < 6, `1/${factor}: mean difference ${meanOfChannels}`);
        } finally {
          decoded.mat.release();
        }
      }
    } finally {
      photo.release();
    }
  });

  it('decodes at full size when the image is small, and never reduces a PNG', async () => {
    const jpeg = new Uint8Array(readFileSync(photoPath('coffee.jpg'))); // 600x400
    const small = await decodeEncodedImageAsync(jpeg, 'coffee', {
      reduceTo: { width: 600, height: 300 },
    });
    assert.deepEqual([small.reduction, small.mat.cols, small.mat.rows], [1, 600, 400]);
    small.mat.release();
    const mat = loadPhoto('coffee.jpg');
    const png = encodePng(mat);
    mat.release();
    const decoded = await decodeEncodedImageAsync(png, 'coffee.png', {
      reduceTo: { width: 100, height: 100 },
    });
    assert.deepEqual([decoded.reduction, decoded.mat.cols, decoded.mat.rows], [1, 600, 400]);
    decoded.mat.release();
  });

  it('gives a frame of a large real photo its full size and a transform into full-size pixels', async () => {
    const data = new Uint8Array(await faceApiSample(1)); // 1920x1280
    const image = await decodeFrameImageAsync(
      { kind: 'compressed', image: { header, format: 'jpeg', data } },
      { reduceTo: { width: 600, height: 600 } },
    );
    try {
      assert.deepEqual([image.width, image.height, image.reduction], [960, 640, 2]);
      assert.deepEqual([image.sourceWidth, image.sourceHeight], [1920, 1280]);
      const input = image.modelInput({
        width: 300,
        height: 300,
        resize: 'stretch',
        channelOrder: 'rgb',
      });
      assert.deepEqual(
        [
          input.transform.sourceWidth,
          input.transform.sourceHeight,
          input.transform.scaleX,
          input.transform.scaleY,
        ],
        [1920, 1280, 1920, 1280],
      );
    } finally {
      image.close();
    }
  });
});
