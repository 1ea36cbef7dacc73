import assert from 'node:assert/strict';

import { annotationTopics } from '../../src/sinks/annotationTopics.js';

describe('annotationTopics', function () {
  it('puts annotations beside the image_transport base topic', function () {
    assert.deepEqual(
      [...annotationTopics(['/front/image_raw', '/rear/image_raw/compressed'])],
      [
        ['/front/image_raw', '/front/image_raw/annotations'],
        ['/rear/image_raw/compressed', '/rear/image_raw/annotations'],
      ],
    );
  });

  it('keeps the full topic for a camera recorded both raw and compressed', function () {
    assert.deepEqual(
      [...annotationTopics(['/cam/image', '/cam/image/compressed', '/other/image/compressed'])],
      [
        ['/cam/image', '/cam/image/annotations'],
        ['/cam/image/compressed', '/cam/image/compressed/annotations'],
        ['/other/image/compressed', '/other/image/annotations'],
      ],
    );
  });
});
