import assert from 'node:assert/strict';

import { MessageCodec } from '../../src/bag/messageCodec.js';
import type { ObjectDetection } from '../../src/detection/objectDetection.js';
import { MessageRegistry } from '../../src/messages/messageRegistry.js';
import {
  MessageTypes,
  PointsAnnotationType,
  type Header,
  type ImageAnnotations,
} from '../../src/messages/types.js';
import {
  detectionLabel,
  FACE_COLOR,
  imageAnnotations,
  type AnnotatedFace,
} from '../../src/publish/imageAnnotations.js';
import {
  contrastingTextColor,
  TRACK_PALETTE,
  trackColor,
  UNTRACKED_COLOR,
} from '../../src/publish/trackColor.js';

const header: Header = { stamp: { sec: 1_700_000_000, nanosec: 123_456_789 }, frame_id: 'front' };

const person: ObjectDetection = {
  classId: 0,
  label: 'person',
  score: 0.873,
  box: { xmin: 10, ymin: 20, xmax: 110, ymax: 220 },
  trackId: '3',
};
const cup: ObjectDetection = {
  classId: 46,
  label: 'cup',
  score: 0.5,
  box: { xmin: 300.5, ymin: 40.25, xmax: 350, ymax: 90 },
};
const face: AnnotatedFace = {
  box: { xmin: 40, ymin: 30, xmax: 80, ymax: 80 },
  landmarks: [
    { x: 50, y: 45 },
    { x: 70, y: 45 },
    { x: 60, y: 55 },
    { x: 52, y: 68 },
    { x: 68, y: 68 },
  ],
};

describe('imageAnnotations', function () {
  it("draws each detection as a 4-corner LINE_LOOP in its track's colour, stamped like the frame", function () {
    const message = imageAnnotations(header, [person, cup]);
    assert.deepEqual(message.circles, []);
    assert.equal(message.points.length, 2);
    const [a, b] = message.points;
    assert.equal(a?.type, PointsAnnotationType.lineLoop);
    assert.deepEqual(a?.points, [
      { x: 10, y: 20 },
      { x: 110, y: 20 },
      { x: 110, y: 220 },
      { x: 10, y: 220 },
    ]);
    assert.deepEqual(a?.outline_color, trackColor('3'));
    assert.equal(a?.thickness, 2);
    assert.equal(a?.fill_color.a, 0, 'outline only: the image stays visible inside the box');
    assert.deepEqual(b?.outline_color, UNTRACKED_COLOR, 'no track: the neutral colour');
    for (const p of [...message.points, ...message.texts])
      assert.deepEqual(p.timestamp, header.stamp);
  });

  it('labels each box at its top-left corner with label, score and track id', function () {
    const message = imageAnnotations(header, [person, cup]);
    assert.deepEqual(
      message.texts.map((t) => [t.text, t.position]),
      [
        ['person 0.87 #3', { x: 10, y: 20 }],
        ['cup 0.50', { x: 300.5, y: 40.25 }],
      ],
    );
    const [label] = message.texts;
    assert.deepEqual(label?.background_color, { ...trackColor('3'), a: 0.8 });
    assert.deepEqual(label?.text_color, contrastingTextColor(trackColor('3')));
    assert.equal(label?.font_size, 14);
    assert.equal(detectionLabel({ label: 'dog', score: 0.999, trackId: '' }), 'dog 1.00');
  });

  it('draws faces as a box and their five landmarks as POINTS', function () {
    const message = imageAnnotations(header, [person], [face], { thickness: 3, pointSize: 6 });
    assert.equal(message.points.length, 3);
    const [, box, landmarks] = message.points;
    assert.equal(box?.type, PointsAnnotationType.lineLoop);
    assert.equal(box?.points.length, 4);
    assert.equal(box?.thickness, 3);
    assert.deepEqual(box?.outline_color, FACE_COLOR);
    assert.equal(landmarks?.type, PointsAnnotationType.points);
    assert.deepEqual(landmarks?.points, face.landmarks);
    assert.equal(landmarks?.thickness, 6);
    assert.equal(message.texts.length, 1, 'faces carry no text');
  });

  it('gives an empty frame an empty message (which clears the previous boxes in Foxglove)', function () {
    assert.deepEqual(imageAnnotations(header, []), { circles: [], points: [], texts: [] });
  });

  it('encodes against the foxglove_msgs definition', function () {
    const registry = MessageRegistry.withBuiltins();
    const codec = MessageCodec.fromSchema<ImageAnnotations>(
      MessageTypes.ImageAnnotations,
      registry.schemaText(MessageTypes.ImageAnnotations),
    );
    const message = imageAnnotations(header, [person, cup], [face]);
    assert.deepEqual(codec.decode(codec.encode(message)), message);
  });
});

describe('trackColor', function () {
  it('is the same for the same id, from the palette, and spreads consecutive ids', function () {
    assert.deepEqual(trackColor('7'), trackColor('7'));
    assert.ok(TRACK_PALETTE.includes(trackColor('7')));
    const firstTen = new Set(
      Array.from({ length: 10 }, (_, i) => TRACK_PALETTE.indexOf(trackColor(String(i + 1)))),
    );
    assert.ok(firstTen.size >= 6, `ids 1..10 use ${firstTen.size} of 10 colours`);
  });

  it('pins the colour of a few ids (colours must not change between releases)', function () {
    const index = (id: string): number => TRACK_PALETTE.indexOf(trackColor(id));
    assert.deepEqual(['1', '2', '3', '42'].map(index), PINNED);
  });

  it('gives untracked detections one neutral colour', function () {
    assert.equal(trackColor(undefined), UNTRACKED_COLOR);
    assert.equal(trackColor(''), UNTRACKED_COLOR);
    assert.ok(!TRACK_PALETTE.includes(UNTRACKED_COLOR));
  });

  it('picks black text on light colours and white on dark ones', function () {
    assert.equal(contrastingTextColor({ r: 1, g: 1, b: 0.6, a: 1 }).r, 0);
    assert.equal(contrastingTextColor({ r: 0.1, g: 0.2, b: 0.5, a: 1 }).r, 1);
  });
});

/** Palette indices of ids 1, 2, 3 and 42 (32-bit FNV-1a modulo 10). */
const PINNED = [4, 1, 2, 1];
