import assert from 'node:assert/strict';

import type { ObjectDetection } from '../../src/detection/objectDetection.js';
import { colorForLabel } from '../../src/image/overlayItem.js';
import { overlayItems, type OverlaidFace } from '../../src/publish/overlayItems.js';

const box = { xmin: 10, ymin: 20, xmax: 110, ymax: 220 };

describe('overlayItems', function () {
  it('captions a detection "label #track score", coloured by its track so the colour lasts', function () {
    const tracked: ObjectDetection = {
      classId: 0,
      label: 'person',
      score: 0.873,
      box,
      trackId: '3',
    };
    const untracked: ObjectDetection = { classId: 46, label: 'cup', score: 0.5, box };
    const [a, b] = overlayItems([tracked, untracked]);
    assert.deepEqual(a, { box, label: 'person #3 0.87', color: colorForLabel('track 3') });
    assert.deepEqual(b, { box, label: 'cup 0.50', color: colorForLabel('cup') });
    // Same track, other class and score: same colour.
    const later = overlayItems([{ ...tracked, label: 'dog', score: 0.4 }])[0];
    assert.deepEqual(later?.color, a?.color);
  });

  it('captions a face with its identity and match score, or "face" and its score', function () {
    const known: OverlaidFace = { box, score: 0.99, identity: 'José', identityScore: 0.612 };
    const unknown: OverlaidFace = { box, score: 0.9, identity: '', identityScore: 0 };
    assert.deepEqual(overlayItems([], [known, unknown]), [
      { box, label: 'José 0.61' },
      { box, label: 'face 0.90' },
    ]);
  });
});
