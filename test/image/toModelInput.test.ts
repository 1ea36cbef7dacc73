import assert from 'node:assert/strict';

import cv from '../../src/image/cv.js';
import type { Mat } from '../../src/image/cv.js';
import { mapBoxToSource } from '../../src/image/modelInputTransform.js';
import { toModelInput } from '../../src/image/toModelInput.js';
import { toModelTensor } from '../../src/image/toModelTensor.js';
import type { Box } from '../../src/postprocess/box.js';
import { bytesOf, loadPhoto } from './imageTestSupport.js';

/** 640x480 grey frame with a pure red rectangle at `box` (pixels). */
function frameWithRedBox(box: Box): Mat {
  const mat = new cv.Mat(480, 640, cv.CV_8UC3, [128, 128, 128]);
  const region = mat.getRegion(
    new cv.Rect(box.xmin, box.ymin, box.xmax - box.xmin, box.ymax - box.ymin),
  );
  region.setTo(new cv.Vec3(0, 0, 255));
  region.release();
  return mat;
}

/** Normalised bounding box of the pixels that are clearly red in HWC data (channel order given). */
function findRed(data: Uint8Array, width: number, height: number, order: 'rgb' | 'bgr'): Box {
  const [ri, bi] = order === 'rgb' ? [0, 2] : [2, 0];
  let xmin = width;
  let ymin = height;
  let xmax = -1;
  let ymax = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (data[i + ri]! > 190 && data[i + bi]! < 64) {
        xmin = Math.min(xmin, x);
        ymin = Math.min(ymin, y);
        xmax = Math.max(xmax, x + 1);
        ymax = Math.max(ymax, y + 1);
      }
    }
  }
  return { xmin: xmin / width, ymin: ymin / height, xmax: xmax / width, ymax: ymax / height };
}

describe('toModelInput', () => {
  const box = { xmin: 100, ymin: 50, xmax: 300, ymax: 200 };
  let frame: Mat;
  before(() => {
    frame = frameWithRedBox(box);
  });
  after(() => frame.release());

  for (const resize of ['stretch', 'letterbox'] as const) {
    for (const channelOrder of ['rgb', 'bgr'] as const) {
      it(`${resize}, ${channelOrder}: a box found in the model input maps back to the source box`, () => {
        const { data, transform } = toModelInput(frame, {
          width: 300,
          height: 300,
          resize,
          channelOrder,
        });
        assert.equal(data.length, 300 * 300 * 3);
        const mapped = mapBoxToSource(findRed(data, 300, 300, channelOrder), transform);
        // One model pixel is 2.13 source pixels (1.6 vertically when stretched).
        for (const k of ['xmin', 'ymin', 'xmax', 'ymax'] as const) {
          assert.ok(Math.abs(mapped[k] - box[k]) <= 2.2, `${k}: ${mapped[k]} vs ${box[k]}`);
        }
      });
    }
  }

  it('letterbox pads with padValue and keeps the photo undistorted in the content area', () => {
    const photo = loadPhoto('rocket.jpg'); // 640x427
    try {
      const { data, transform } = toModelInput(photo, {
        width: 320,
        height: 320,
        resize: 'letterbox',
        channelOrder: 'bgr',
        padValue: 114,
      });
      const { content } = transform;
      assert.deepEqual(content, { x: 0, y: 53, width: 320, height: 214 });
      const rowBytes = 320 * 3;
      assert.ok(data.subarray(0, 53 * rowBytes).every((v) => v === 114));
      assert.ok(data.subarray((53 + 214) * rowBytes).every((v) => v === 114));
      const resized = photo.resize(214, 320, 0, 0, cv.INTER_LINEAR);
      assert.deepEqual(data.subarray(53 * rowBytes, (53 + 214) * rowBytes), bytesOf(resized));
      resized.release();
    } finally {
      photo.release();
    }
  });

  it('rgb is bgr with the channels swapped', () => {
    const photo = loadPhoto('chelsea.jpg');
    try {
      const options = { width: 224, height: 224, resize: 'stretch' } as const;
      const rgb = toModelInput(photo, { ...options, channelOrder: 'rgb' }).data;
      const bgr = toModelInput(photo, { ...options, channelOrder: 'bgr' }).data;
      for (let i = 0; i < rgb.length; i += 3) {
        if (rgb[i] !== bgr[i + 2] || rgb[i + 2] !== bgr[i] || rgb[i + 1] !== bgr[i + 1]) {
          assert.fail(`pixel ${i / 3} differs`);
        }
      }
    } finally {
      photo.release();
    }
  });

  it('accepts a region of interest already at the input size, and leaves the frame alone', () => {
    const before = bytesOf(frame);
    const roi = frame.getRegion(new cv.Rect(100, 50, 112, 112));
    try {
      const { data } = toModelInput(roi, {
        width: 112,
        height: 112,
        resize: 'stretch',
        channelOrder: 'bgr',
      });
      assert.ok(data.every((v, i) => v === [0, 0, 255][i % 3]));
      assert.deepEqual(bytesOf(frame), before);
    } finally {
      roi.release();
    }
  });

  it('rejects bad arguments with the parameter name', () => {
    const base = { width: 300, height: 300, resize: 'stretch', channelOrder: 'rgb' } as const;
    assert.throws(() => toModelInput(frame, { ...base, width: -1 }), /'width' must be an integer/);
    assert.throws(
      () => toModelInput(frame, { ...base, channelOrder: 'rbg' as 'rgb' }),
      /'channelOrder' must be 'rgb' or 'bgr', got "rbg"/,
    );
    assert.throws(() => toModelInput(frame, { ...base, padValue: 256 }), /'padValue'.*got 256/);
    const gray = frame.cvtColor(cv.COLOR_BGR2GRAY);
    assert.throws(() => toModelInput(gray, base), /CV_8UC3\), got 640x480 CV_8UC1/);
    gray.release();
  });
});

describe('toModelTensor', () => {
  let photo: Mat;
  before(() => {
    photo = loadPhoto('astronaut.jpg');
  });
  after(() => photo.release());

  const options = {
    width: 112,
    height: 112,
    resize: 'stretch',
    channelOrder: 'rgb',
    mean: [127.5, 120, 110],
    std: [128, 64, 32],
  } as const;

  it('nchw: planar (v - mean[c]) / std[c] of the uint8 model input', () => {
    const { data: pixels } = toModelInput(photo, options);
    const tensor = toModelTensor(photo, { ...options, layout: 'nchw' });
    assert.deepEqual(tensor.dims, [1, 3, 112, 112]);
    assert.equal(tensor.data.length, 3 * 112 * 112);
    for (let p = 0; p < 112 * 112; p += 37) {
      for (let c = 0; c < 3; c++) {
        const expected = (pixels[p * 3 + c]! - options.mean[c]!) / options.std[c]!;
        assert.ok(Math.abs(tensor.data[c * 112 * 112 + p]! - expected) < 1e-6);
      }
    }
  });

  it('nhwc: interleaved, same values', () => {
    const nchw = toModelTensor(photo, { ...options, layout: 'nchw' });
    const nhwc = toModelTensor(photo, { ...options, layout: 'nhwc' });
    assert.deepEqual(nhwc.dims, [1, 112, 112, 3]);
    for (let p = 0; p < 112 * 112; p += 41) {
      for (let c = 0; c < 3; c++) assert.equal(nhwc.data[p * 3 + c], nchw.data[c * 112 * 112 + p]);
    }
  });

  it('rejects a zero std, a short mean and an unknown layout', () => {
    assert.throws(
      () => toModelTensor(photo, { ...options, std: [1, 0, 1], layout: 'nchw' }),
      /'std' must be 3 finite numbers, none zero, got \[1,0,1\]/,
    );
    assert.throws(
      () =>
        toModelTensor(photo, {
          ...options,
          mean: [1, 2] as unknown as [number, number, number],
          layout: 'nchw',
        }),
      /'mean' must be 3 finite numbers/,
    );
    assert.throws(
      () => toModelTensor(photo, { ...options, layout: 'chw' as 'nchw' }),
      /'layout' must be 'nchw' or 'nhwc'/,
    );
  });
});
