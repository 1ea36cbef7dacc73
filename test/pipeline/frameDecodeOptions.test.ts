import assert from 'node:assert/strict';

import { defaultImageConfig } from '../../src/config/imageConfig.js';
import {
  frameDecodeOptions,
  REDUCED_DECODE_MARGIN,
} from '../../src/pipeline/frameDecodeOptions.js';

describe('frameDecodeOptions', () => {
  const modelInput = { width: 300, height: 300 };
  const limits = { maxSide: 16384, maxPixels: 67108864 };

  it('reduces JPEG decoding down to twice the model input only when nothing needs full resolution', () => {
    assert.equal(REDUCED_DECODE_MARGIN, 2);
    assert.deepEqual(
      frameDecodeOptions(defaultImageConfig(), { modelInput, fullResolution: false }),
      {
        limits,
        reduceTo: { width: 600, height: 600 },
      },
    );
    assert.deepEqual(
      frameDecodeOptions(defaultImageConfig(), { modelInput, fullResolution: true }),
      {
        limits,
      },
    );
  });

  it('never reduces when turned off, and always passes the configured limits', () => {
    const image = { maxSide: 4000, maxPixels: 1000, jpegReducedDecode: 'off' } as const;
    assert.deepEqual(frameDecodeOptions(image, { modelInput, fullResolution: false }), {
      limits: { maxSide: 4000, maxPixels: 1000 },
    });
  });
});
