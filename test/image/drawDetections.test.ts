import assert from 'node:assert/strict';

import cv from '../../src/image/cv.js';
import type { Mat } from '../../src/image/cv.js';
import { drawDetections } from '../../src/image/drawDetections.js';
import { colorForLabel } from '../../src/image/overlayItem.js';
import { bytesOf, loadPhoto } from './imageTestSupport.js';

function pixel(bytes: Uint8Array, width: number, x: number, y: number): number[] {
  const i = (y * width + x) * 3;
  return [bytes[i]!, bytes[i + 1]!, bytes[i + 2]!];
}

describe('drawDetections', () => {
  let photo: Mat;
  before(() => {
    photo = loadPhoto('coffee.jpg'); // 600x400
  });
  after(() => photo.release());

  it('draws boxes and captions on a copy, leaving the frame unchanged', () => {
    const before = bytesOf(photo);
    const out = drawDetections(photo, [
      {
        box: { xmin: 172, ymin: 100, xmax: 410, ymax: 285 },
        label: 'cup 0.91',
        color: [0, 255, 0],
      },
      { box: { xmin: 0, ymin: 0, xmax: 100, ymax: 80 }, label: 'José 0.55' },
    ]);
    try {
      assert.deepEqual(bytesOf(photo), before);
      assert.deepEqual([out.cols, out.rows, out.type], [600, 400, cv.CV_8UC3]);
      const drawn = bytesOf(out);
      // Box edge (BGR green) on the left side, midway down.
      assert.deepEqual(pixel(drawn, 600, 172, 200), [0, 255, 0]);
      // Caption background above the box, with dark text on it somewhere.
      const caption: number[][] = [];
      for (let x = 174; x < 240; x++) caption.push(pixel(drawn, 600, x, 90));
      assert.ok(
        caption.some((p) => p[1] === 255 && p[0] === 0),
        'green background',
      );
      assert.ok(
        caption.some((p) => p[1]! < 100),
        'dark text',
      );
      // Inside the box, away from the edges, the photo is untouched.
      assert.deepEqual(pixel(drawn, 600, 300, 200), pixel(before, 600, 300, 200));
      // The second box has no room above: its caption sits inside, in the label's colour.
      const [r, g, b] = colorForLabel('José 0.55');
      assert.deepEqual(pixel(drawn, 600, 1, 3), [b, g, r]);
    } finally {
      out.release();
    }
  });

  it('gives each label a stable default colour', () => {
    assert.deepEqual(colorForLabel('person'), colorForLabel('person'));
    assert.notDeepEqual(colorForLabel('person'), colorForLabel('dog'));
  });

  it('tolerates boxes outside the image and empty labels', () => {
    const out = drawDetections(photo, [
      { box: { xmin: -100, ymin: -50, xmax: 5000, ymax: 5000 }, label: '' },
      { box: { xmin: 590, ymin: 390, xmax: 700, ymax: 500 }, label: 'edge case' },
    ]);
    out.release();
  });

  it('rejects colours outside 0..255', () => {
    assert.throws(
      () =>
        drawDetections(photo, [
          { box: { xmin: 0, ymin: 0, xmax: 5, ymax: 5 }, label: 'x', color: [0, 300, 0] },
        ]),
      /'color' must be 3 integers in \[0, 255\] \(R, G, B\), got \[0,300,0\]/,
    );
  });
});
