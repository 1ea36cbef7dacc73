import { DEFAULT_IMAGE_LIMITS, MAX_PIXELS_LIMIT, MAX_SIDE_LIMIT } from '../image/imageLimits.js';
import type { ConfigReader } from './configReader.js';
import { defaultSettings, readSettings } from './settings/readSettings.js';
import { setting } from './settings/setting.js';
import type { SettingValues } from './settings/settingValues.js';

/** When a large JPEG is decoded at reduced scale (libjpeg DCT scaling, 1/2, 1/4 or 1/8). */
export const JPEG_REDUCED_DECODE_MODES = ['auto', 'off'] as const;
export type JpegReducedDecode = (typeof JPEG_REDUCED_DECODE_MODES)[number];

/**
 * The `image:` settings: how incoming frames are decoded, the pixel budget of one frame and
 * reduced-scale decoding. Read at start.
 */
export const IMAGE_SETTINGS = {
  // Checked against the JPEG/PNG header before decoding and against a raw Image's fields before
  // converting.
  max_side: setting({
    kind: 'integer',
    range: [1, MAX_SIDE_LIMIT],
    default: DEFAULT_IMAGE_LIMITS.maxSide,
    description: 'largest frame width or height; larger frames are refused before decoding',
  }),
  // 2^26 (64 Mi pixels): every real camera fits (the largest, 61 MP full-frame sensors, are
  // 60.2 MP), and one frame costs at most 192 MiB as BGR; see DEFAULT_IMAGE_LIMITS.
  max_pixels: setting({
    kind: 'integer',
    range: [1, MAX_PIXELS_LIMIT],
    default: DEFAULT_IMAGE_LIMITS.maxPixels,
    description: 'largest frame width x height; larger frames are refused before decoding',
  }),
  // 'auto': a compressed JPEG frame is decoded at the largest of 1/2, 1/4, 1/8 scale that keeps
  // it at least twice the detector's input size on both sides (REDUCED_DECODE_MARGIN: closer to
  // the input, scores drop measurably), when nothing needs the full resolution (no face branch,
  // crop classifier, overlay or annotated output); detections are still reported in the full
  // frame's pixels. 'off': always decode at full size.
  jpeg_reduced_decode: setting({
    kind: 'choice',
    choices: JPEG_REDUCED_DECODE_MODES,
    default: 'auto',
    description:
      "'auto': decode large JPEGs at 1/2, 1/4 or 1/8 scale, down to twice the detector input, when no face branch, classifier or overlay needs full resolution",
  }),
} as const;

/** How incoming frames are decoded, parsed once by {@link parseImageConfig}. */
export type ImageConfig = SettingValues<typeof IMAGE_SETTINGS>;

/** The image settings used when the config says nothing. */
export function defaultImageConfig(): ImageConfig {
  return defaultSettings(IMAGE_SETTINGS);
}

/**
 * Parses the `image:` mapping, filling defaults.
 * @throws ConfigError (CONFIG_INVALID) naming the key `image.<key>`, the allowed range and the
 *   value found.
 */
export function parseImageConfig(reader: ConfigReader): ImageConfig {
  return readSettings(reader, IMAGE_SETTINGS);
}
