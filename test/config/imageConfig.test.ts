import assert from 'node:assert/strict';
import path from 'node:path';

import { defaultImageConfig } from '../../src/config/imageConfig.js';
import { loadConfigFile, parseConfig } from '../../src/config/parseConfig.js';
import { ConfigError } from '../../src/errors.js';
import { DEFAULT_IMAGE_LIMITS } from '../../src/image/imageLimits.js';
import { repoRoot } from '../support/paths.js';

const configError = (pattern: RegExp) => (e: unknown) =>
  e instanceof ConfigError && e.code === 'CONFIG_INVALID' && pattern.test(e.message);

describe('image config', () => {
  it('defaults to the image limits and reduced decoding when nothing needs full resolution', () => {
    assert.deepEqual(parseConfig(undefined).image, {
      maxSide: 16384,
      maxPixels: 67108864,
      jpegReducedDecode: 'auto',
    });
    assert.deepEqual(parseConfig({}).image, defaultImageConfig());
    assert.equal(defaultImageConfig().maxPixels, DEFAULT_IMAGE_LIMITS.maxPixels);
  });

  it('reads image.* from a file, ROS integers as bigint included', () => {
    const config = parseConfig({
      image: { max_side: 4096, max_pixels: 12_000_000n, jpeg_reduced_decode: 'off' },
    });
    assert.deepEqual(config.image, {
      maxSide: 4096,
      maxPixels: 12_000_000,
      jpegReducedDecode: 'off',
    });
  });

  it('the shipped params.yaml states the defaults', () => {
    const config = loadConfigFile(path.join(repoRoot, 'config/params.yaml'));
    assert.deepEqual(config.image, defaultImageConfig());
  });

  it('names the key, the allowed range and the value of a bad setting', () => {
    const cases: [unknown, RegExp][] = [
      [
        { max_side: 16385 },
        /f.yaml: 'image.max_side' must be an integer in \[1, 16384\], got 16385/,
      ],
      [{ max_side: 0 }, /'image.max_side' must be an integer in \[1, 16384\], got 0/],
      [
        { max_pixels: 2 ** 30 + 1 },
        /'image.max_pixels' must be an integer in \[1, 1073741824\], got 1073741825/,
      ],
      [{ max_pixels: 1.5 }, /'image.max_pixels' must be an integer/],
      [
        { jpeg_reduced_decode: 'always' },
        /'image.jpeg_reduced_decode' must be one of 'auto', 'off', got "always"/,
      ],
      [
        { max_sides: 1 },
        /unknown key 'image.max_sides'; allowed here: max_side, max_pixels, jpeg_reduced_decode/,
      ],
      [5, /'image' must be a mapping, got 5/],
    ];
    for (const [image, pattern] of cases) {
      assert.throws(() => parseConfig({ image }, 'f.yaml'), configError(pattern), String(pattern));
    }
  });
});
