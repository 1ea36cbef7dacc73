import { ImageError } from '../errors.js';

/**
 * The largest frame this node agrees to hold in memory. Checked against the size a JPEG/PNG
 * header claims before anything is decoded (OpenCV allocates what the header says first, up to
 * its own limit of 2^30 pixels), and against a raw Image's width/height before any conversion.
 */
export interface ImageLimits {
  /** Largest width or height, in pixels. */
  readonly maxSide: number;
  /** Largest width x height, in pixels. */
  readonly maxPixels: number;
}

/**
 * Largest side the node handles at all: the model input geometry (computeModelInputTransform)
 * and the raw Image checks have always stopped here, and no camera sensor comes near it.
 */
export const MAX_SIDE_LIMIT = 16384;

/** The most pixels OpenCV itself decodes (CV_IO_MAX_IMAGE_PIXELS); a larger limit means nothing. */
export const MAX_PIXELS_LIMIT = 2 ** 30;

/**
 * Defaults that fit every real camera and refuse decompression bombs:
 * - maxSide 16384 (MAX_SIDE_LIMIT).
 * - maxPixels 2^26 = 67,108,864 (64 Mi pixels, e.g. 8192 x 8192): above the largest sensors a
 *   robot is likely to carry, with margin: 4K video is 8.3 MP, machine-vision cameras 5-25 MP,
 *   the "50 MP" phone sensors 8160 x 6144 = 50.1 MP (so a limit of exactly 50 million would
 *   refuse their photos), full-frame 61 MP cameras 9504 x 6336 = 60.2 MP. A frame at the limit
 *   takes 192 MiB as 8-bit BGR, which a 4 GB board survives; 16000 x 16000 (256 MP, 768 MiB)
 *   and 30000 x 30000 (900 MP, 2.5 GiB) are refused before a byte is allocated.
 */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxSide: MAX_SIDE_LIMIT, maxPixels: 2 ** 26 };

/**
 * Refuses a frame of `width` x `height` (as claimed by a header or a message) that is over the
 * limits. `what` names the input (e.g. "CompressedImage format 'jpeg'").
 *
 * @throws ImageError IMAGE_TOO_LARGE naming the claimed size, the limit it breaks, and the
 *   parameter that raises it; RangeError for invalid limits (see checkImageLimits).
 */
export function checkImageSize(
  width: number,
  height: number,
  limits: ImageLimits,
  what: string,
): void {
  checkImageLimits(limits); // a NaN limit would let everything through
  const pixels = width * height;
  let broken: string | undefined;
  if (width > limits.maxSide || height > limits.maxSide) {
    broken = `a side over image.max_side = ${limits.maxSide} px`;
  } else if (pixels > limits.maxPixels) {
    broken = `more than image.max_pixels = ${limits.maxPixels} pixels`;
  }
  if (broken === undefined) return;
  throw new ImageError(
    'IMAGE_TOO_LARGE',
    `${what} claims ${width}x${height} (${pixels} pixels, ${formatBytes(pixels * 3)} decoded), ` +
      `${broken}; refused before decoding. If the camera really sends frames this large, ` +
      `raise image.max_side / image.max_pixels (up to ${MAX_SIDE_LIMIT} / ${MAX_PIXELS_LIMIT}); ` +
      'otherwise the data is corrupt or hostile: check the camera driver and what publishes on the topic',
  );
}

/**
 * Checks limits given as settings (config or code).
 * @throws RangeError quoting the parameter and its allowed range.
 */
export function checkImageLimits(limits: ImageLimits): ImageLimits {
  const { maxSide, maxPixels } = limits;
  if (!Number.isInteger(maxSide) || maxSide < 1 || maxSide > MAX_SIDE_LIMIT) {
    throw new RangeError(`'maxSide' must be an integer in [1, ${MAX_SIDE_LIMIT}], got ${maxSide}`);
  }
  if (!Number.isInteger(maxPixels) || maxPixels < 1 || maxPixels > MAX_PIXELS_LIMIT) {
    throw new RangeError(
      `'maxPixels' must be an integer in [1, ${MAX_PIXELS_LIMIT}], got ${maxPixels}`,
    );
  }
  return limits;
}

function formatBytes(bytes: number): string {
  const mib = bytes / 2 ** 20;
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${mib.toFixed(0)} MiB`;
}
