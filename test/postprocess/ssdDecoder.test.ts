import assert from 'node:assert/strict';
import { SsdDecoder, type SsdDecoderOptions } from '../../src/postprocess/ssdDecoder.js';

const coding = { yScale: 10, xScale: 10, hScale: 5, wScale: 5 };
const options: SsdDecoderOptions = {
  nms: 'class-agnostic',
  iouThreshold: 0.6,
  scoreThreshold: 0.5,
  maxDetections: 20,
  detectionsPerClass: 100,
};

// Two anchors (yc, xc, h, w) and scores for background + 2 classes.
const anchors = Float32Array.from([0.5, 0.5, 0.2, 0.4, 0.52, 0.5, 0.2, 0.4]);

describe('SsdDecoder', () => {
  it('decodes zero encodings to the anchors themselves', () => {
    const decoder = new SsdDecoder(anchors, coding, options);
    const [d] = decoder.decode(new Float32Array(8), Float32Array.from([0, 0.9, 0.1, 0, 0.1, 0.2]));
    assert.ok(d);
    assert.equal(d.classIndex, 0);
    assert.ok(Math.abs(d.score - 0.9) < 1e-6);
    assert.ok(Math.abs(d.box.ymin - 0.4) < 1e-6 && Math.abs(d.box.ymax - 0.6) < 1e-6);
    assert.ok(Math.abs(d.box.xmin - 0.3) < 1e-6 && Math.abs(d.box.xmax - 0.7) < 1e-6);
  });

  it('applies the box coding scales: ty/yScale * h shifts the centre, exp(th/hScale) scales the size', () => {
    const decoder = new SsdDecoder(anchors.subarray(0, 4), coding, options);
    const [d] = decoder.decode(
      Float32Array.from([10, 0, 5 * Math.log(2), 0]),
      Float32Array.from([0, 0.9, 0]),
    );
    assert.ok(d);
    // centre 0.5 + 1 * 0.2 = 0.7; height 0.2 * 2 = 0.4
    assert.ok(Math.abs(d.box.ymin - 0.5) < 1e-6 && Math.abs(d.box.ymax - 0.9) < 1e-6);
  });

  it('class-agnostic NMS suppresses an overlapping box of another class; per-class NMS keeps it', () => {
    const scores = Float32Array.from([0, 0.9, 0.0, 0, 0.0, 0.8]);
    const agnostic = new SsdDecoder(anchors, coding, options).decode(new Float32Array(8), scores);
    assert.deepEqual(
      agnostic.map((d) => d.classIndex),
      [0],
    );
    const perClass = new SsdDecoder(anchors, coding, { ...options, nms: 'per-class' }).decode(
      new Float32Array(8),
      scores,
    );
    assert.deepEqual(
      perClass.map((d) => d.classIndex),
      [0, 1],
    );
  });

  it('refuses inputs of the wrong size and options out of range, naming them', () => {
    const decoder = new SsdDecoder(anchors, coding, options);
    assert.throws(
      () => decoder.decode(new Float32Array(4), new Float32Array(6)),
      /box encodings must hold 8 values, got 4/,
    );
    assert.throws(
      () => decoder.withOptions({ scoreThreshold: 1.5 }),
      (e: unknown) =>
        e instanceof RangeError && /'scoreThreshold' must be in \[0, 1\], got 1.5/.test(e.message),
    );
    assert.throws(
      () => decoder.withOptions({ maxDetections: 0 }),
      /'maxDetections' must be an integer >= 1, got 0/,
    );
    assert.equal(decoder.options.scoreThreshold, 0.5);
  });
});
