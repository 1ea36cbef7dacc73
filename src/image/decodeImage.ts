import { endianness } from 'node:os';

import { ImageError, boundedText } from '../errors.js';
import type { Image } from '../messages/types.js';
import cv from './cv.js';
import type { Mat } from './cv.js';
import {
  bytesPerPixel,
  IMAGE_ENCODING_ALIASES,
  resolveImageEncoding,
  SUPPORTED_IMAGE_ENCODINGS,
  type ImageEncoding,
} from './imageEncodings.js';
import { checkImageSize, DEFAULT_IMAGE_LIMITS, type ImageLimits } from './imageLimits.js';

/** Largest width or height decodeImage accepts by default, in pixels. */
export const MAX_IMAGE_SIDE = DEFAULT_IMAGE_LIMITS.maxSide;

/** Options of decodeImage. */
export interface DecodeImageOptions {
  /** The largest image converted. Default DEFAULT_IMAGE_LIMITS. */
  readonly limits?: ImageLimits;
}

const HOST_IS_BIG_ENDIAN = endianness() === 'BE';

/**
 * Decodes a `sensor_msgs/msg/Image` into the canonical internal frame: an 8-bit BGR Mat
 * (CV_8UC3), continuous, owning its pixels. The caller owns the returned Mat and must
 * `release()` it; the message's buffer is not referenced after return, so it may be reused.
 *
 * Encodings: rgb8, bgr8, rgba8, bgra8 (alpha dropped), mono8 (grey copied to all three
 * channels), mono16, yuv422 (UYVY byte order), yuv422_yuy2 (YUYV), bayer_rggb8/bggr8/gbrg8/grbg8
 * (bilinear demosaicing), and the aliases 8UC3 (= bgr8) and 8UC1 (= mono8).
 *
 * mono16 honours `is_bigendian` and is scaled linearly from the full 16-bit range to 8 bits
 * (v * 255 / 65535, rounded), as cv_bridge converts mono16 to mono8. A camera that stores 10- or
 * 12-bit samples in the low bits will therefore look dark; such data needs its own scaling.
 *
 * YUV 4:2:2 uses OpenCV's BT.601 limited-range ("video range") conversion, as cv_bridge does.
 *
 * Padded rows (`step` > width x bytes per pixel) are converted straight from the message's
 * buffer; only bgr8 needs a copy (the result must own its pixels), and mono16 whose byte order
 * differs from the host's is byte-swapped into a packed copy first.
 *
 * The size is checked against `options.limits` before anything is allocated.
 *
 * @throws ImageError IMAGE_INVALID for a size of 0 or a side over the limit's maxSide, a `step`
 *   smaller than one row, a `data` length other than step x height, an odd width for 4:2:2 or an
 *   odd step for mono16; IMAGE_TOO_LARGE for more pixels than the limit's maxPixels;
 *   IMAGE_UNSUPPORTED_ENCODING for any other encoding; IMAGE_DECODE_FAILED if OpenCV rejects the
 *   conversion.
 */
export function decodeImage(msg: Image, options: DecodeImageOptions = {}): Mat {
  const encoding = checkEncoding(msg.encoding);
  const { width, height, step, data } = checkLayout(
    msg,
    encoding,
    options.limits ?? DEFAULT_IMAGE_LIMITS,
  );

  try {
    if (encoding === 'mono16') {
      return decodeMono16(data, width, height, step, msg.is_bigendian !== 0);
    }
    const { type, code } = CONVERSIONS[encoding];
    // A Mat over the message's own memory: no copy. OpenCV does not keep the JS buffer alive,
    // so this view must not outlive the call; cvtColor/copy write into a new Mat.
    const source = wrap(data, height, width, type, step);
    try {
      return code === undefined ? source.copy() : source.cvtColor(code);
    } finally {
      source.release();
    }
  } catch (err) {
    throw new ImageError(
      'IMAGE_DECODE_FAILED',
      `OpenCV could not convert the ${width}x${height} '${msg.encoding}' image (step ${step}): ` +
        `${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

/**
 * How each 8-bit encoding is viewed (Mat type) and converted to BGR (cvtColor code; none for
 * bgr8, which is only copied).
 *
 * Bayer: OpenCV names a pattern after the second and third pixels of its second row, ROS after
 * the top-left 2x2 block read row by row, so the names differ: ROS rggb (R G / G B) is OpenCV
 * BayerBG. This is cv_bridge's table; test/image/decodeImage.test.ts checks it on mosaics.
 */
const CONVERSIONS: Readonly<
  Record<Exclude<ImageEncoding, 'mono16'>, { type: number; code?: number }>
> = {
  bgr8: { type: cv.CV_8UC3 },
  rgb8: { type: cv.CV_8UC3, code: cv.COLOR_RGB2BGR },
  rgba8: { type: cv.CV_8UC4, code: cv.COLOR_RGBA2BGR },
  bgra8: { type: cv.CV_8UC4, code: cv.COLOR_BGRA2BGR },
  mono8: { type: cv.CV_8UC1, code: cv.COLOR_GRAY2BGR },
  yuv422: { type: cv.CV_8UC2, code: cv.COLOR_YUV2BGR_UYVY },
  yuv422_yuy2: { type: cv.CV_8UC2, code: cv.COLOR_YUV2BGR_YUY2 },
  bayer_rggb8: { type: cv.CV_8UC1, code: cv.COLOR_BayerBG2BGR },
  bayer_bggr8: { type: cv.CV_8UC1, code: cv.COLOR_BayerRG2BGR },
  bayer_gbrg8: { type: cv.CV_8UC1, code: cv.COLOR_BayerGR2BGR },
  bayer_grbg8: { type: cv.CV_8UC1, code: cv.COLOR_BayerGB2BGR },
};

function checkEncoding(encoding: unknown): ImageEncoding {
  const resolved = typeof encoding === 'string' ? resolveImageEncoding(encoding) : undefined;
  if (resolved === undefined) {
    const supported = [...SUPPORTED_IMAGE_ENCODINGS, ...Object.keys(IMAGE_ENCODING_ALIASES)];
    throw new ImageError(
      'IMAGE_UNSUPPORTED_ENCODING',
      `Unsupported image encoding ${typeof encoding === 'string' ? `"${boundedText(encoding)}"` : describeValue(encoding)}; supported: ${supported.join(', ')}. ` +
        'Convert it on the robot (e.g. image_proc) or subscribe to the compressed topic instead',
    );
  }
  return resolved;
}

interface Layout {
  width: number;
  height: number;
  step: number;
  data: Uint8Array;
}

function checkLayout(msg: Image, encoding: ImageEncoding, limits: ImageLimits): Layout {
  const { width, height, step, data } = msg;
  const sideOk = (n: unknown): n is number =>
    Number.isInteger(n) && (n as number) >= 1 && (n as number) <= limits.maxSide;
  if (!sideOk(width) || !sideOk(height)) {
    throw new ImageError(
      'IMAGE_INVALID',
      `Image size ${String(width)}x${String(height)} is invalid: width and height must be ` +
        `integers in [1, ${limits.maxSide}] (image.max_side); check the driver's width/height fields`,
    );
  }
  checkImageSize(width, height, limits, `Image '${encoding}'`);
  if (!(data instanceof Uint8Array)) {
    throw new ImageError(
      'IMAGE_INVALID',
      `Image data must be a Uint8Array, got ${describeValue(data)}; subscribe with typed arrays ` +
        '(rclnodejs enableTypedArray: true)',
    );
  }
  const bpp = bytesPerPixel(encoding);
  const rowBytes = width * bpp;
  if (!Number.isInteger(step) || step < rowBytes) {
    throw new ImageError(
      'IMAGE_INVALID',
      `Image step ${String(step)} is smaller than width ${width} x ${bpp} bytes per pixel ` +
        `(${encoding}) = ${rowBytes}; the step must be the byte length of one row, padding included`,
    );
  }
  if (data.length !== step * height) {
    throw new ImageError(
      'IMAGE_INVALID',
      `Image data has ${data.length} bytes but step ${step} x height ${height} = ` +
        `${step * height}; the message is truncated or its step/height are wrong`,
    );
  }
  if ((encoding === 'yuv422' || encoding === 'yuv422_yuy2') && width % 2 !== 0) {
    throw new ImageError(
      'IMAGE_INVALID',
      `Image width ${width} is odd, but ${encoding} packs pixels in pairs; the width must be even`,
    );
  }
  if (encoding === 'mono16' && step % 2 !== 0) {
    throw new ImageError(
      'IMAGE_INVALID',
      `Image step ${step} is odd, but mono16 rows hold 2-byte samples; the step must be even`,
    );
  }
  return { width, height, step, data };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an Array of length ${value.length}`;
  if (typeof value === 'object') return value.constructor.name;
  return typeof value;
}

/** A Mat header over `data`'s memory, rows `step` bytes apart. See the lifetime note above. */
function wrap(data: Uint8Array, rows: number, cols: number, type: number, step: number): Mat {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return new cv.Mat(rows, cols, type, view, step);
}

function decodeMono16(
  data: Uint8Array,
  width: number,
  height: number,
  step: number,
  bigEndian: boolean,
): Mat {
  let samples = data;
  let sampleStep = step;
  // Swap into a packed copy when the byte order differs; also copy when the buffer starts at an
  // odd address, so OpenCV never reads misaligned 16-bit samples.
  if (bigEndian !== HOST_IS_BIG_ENDIAN || data.byteOffset % 2 !== 0) {
    const rowBytes = width * 2;
    const packed = Buffer.allocUnsafe(rowBytes * height);
    for (let y = 0; y < height; y++) {
      packed.set(data.subarray(y * step, y * step + rowBytes), y * rowBytes);
    }
    if (bigEndian !== HOST_IS_BIG_ENDIAN) packed.swap16();
    samples = packed;
    sampleStep = rowBytes;
  }
  const source = wrap(samples, height, width, cv.CV_16UC1, sampleStep);
  let gray: Mat | undefined;
  try {
    // Full range to full range, rounded (convertTo saturates and rounds).
    gray = source.convertTo(cv.CV_8U, 255 / 65535);
    return gray.cvtColor(cv.COLOR_GRAY2BGR);
  } finally {
    gray?.release();
    source.release();
  }
}
