import {
  DEFAULT_IMAGE_LIMITS,
  MAX_PIXELS_LIMIT,
  MAX_SIDE_LIMIT,
  type ImageLimits,
} from '../image/imageLimits.js';
import type { ConfigReader } from './configReader.js';

/** When a large JPEG is decoded at reduced scale (libjpeg DCT scaling, 1/2, 1/4 or 1/8). */
export const JPEG_REDUCED_DECODE_MODES = ['auto', 'off'] as const;
export type JpegReducedDecode = (typeof JPEG_REDUCED_DECODE_MODES)[number];

/**
 * How incoming frames are decoded (the `image:` mapping of the config): the pixel budget of one
 * frame, and reduced-scale decoding. Parsed once by {@link parseImageConfig}; read at start.
 */
export interface ImageConfig extends ImageLimits {
  /**
   * Largest width or height of a frame, in [1, 16384]. Default 16384. Checked against the
   * JPEG/PNG header before decoding and against a raw Image's fields before converting.
   */
  readonly maxSide: number;
  /**
   * Largest width x height of a frame, in [1, 2^30]. Default 2^26 = 67,108,864 (64 Mi pixels):
   * every real camera fits (the largest, 61 MP full-frame sensors, are 60.2 MP), and one frame
   * costs at most 192 MiB as BGR; see DEFAULT_IMAGE_LIMITS.
   */
  readonly maxPixels: number;
  /**
   * 'auto' (default): a compressed JPEG frame is decoded at the largest of 1/2, 1/4, 1/8 scale
   * that keeps it at least twice the detector's input size on both sides (REDUCED_DECODE_MARGIN:
   * closer to the input, scores drop measurably), when nothing needs the full
   * resolution (no face branch, crop classifier, overlay or annotated output); detections are
   * still reported in the full frame's pixels. 'off': always decode at full size.
   */
  readonly jpegReducedDecode: JpegReducedDecode;
}

/** The image settings used when the config says nothing. */
export function defaultImageConfig(): ImageConfig {
  return { ...DEFAULT_IMAGE_LIMITS, jpegReducedDecode: 'auto' };
}

/** The keys of the `image:` mapping. */
export const IMAGE_CONFIG_KEYS = ['max_side', 'max_pixels', 'jpeg_reduced_decode'] as const;

/**
 * Parses the `image:` mapping, filling defaults.
 * @throws ConfigError (CONFIG_INVALID) naming the key `image.<key>`, the allowed range and the
 *   value found.
 */
export function parseImageConfig(reader: ConfigReader): ImageConfig {
  const defaults = defaultImageConfig();
  reader.only(IMAGE_CONFIG_KEYS);
  return {
    maxSide: reader.integer('max_side', 1, MAX_SIDE_LIMIT) ?? defaults.maxSide,
    maxPixels: reader.integer('max_pixels', 1, MAX_PIXELS_LIMIT) ?? defaults.maxPixels,
    jpegReducedDecode:
      reader.choice('jpeg_reduced_decode', JPEG_REDUCED_DECODE_MODES) ?? defaults.jpegReducedDecode,
  };
}
