import { ImageError } from '../errors.js';
import cv from './cv.js';
import type { Mat } from './cv.js';
import { hexPrefix, readEncodedImageSize, type EncodedImageSize } from './encodedImageSize.js';
import { checkImageSize, DEFAULT_IMAGE_LIMITS, type ImageLimits } from './imageLimits.js';
import {
  chooseJpegReduction,
  reducedSize,
  type JpegReduction,
  type PixelSize,
} from './jpegReduction.js';

export { hexPrefix, sniffImageFormat, type EncodedImageFormat } from './encodedImageSize.js';

/** Options of decodeEncodedImage. */
export interface EncodedImageDecodeOptions {
  /**
   * The largest image accepted, checked against the size the JPEG/PNG header claims before
   * anything is decoded. Default DEFAULT_IMAGE_LIMITS.
   */
  readonly limits?: ImageLimits;
}

/** Options of decodeEncodedImageAsync. */
export interface ReducibleDecodeOptions extends EncodedImageDecodeOptions {
  /**
   * Decode a JPEG at 1/2, 1/4 or 1/8 scale (libjpeg's DCT scaling: less work, less memory) when
   * the result stays at least this large on both sides; see chooseJpegReduction. Default: full
   * size. A PNG is always decoded at full size (OpenCV would decode it whole and then resize,
   * which saves nothing).
   */
  readonly reduceTo?: PixelSize;
}

/** A decoded image and the size it has at full scale. */
export interface DecodedImage {
  /** 8-bit BGR, owned by the caller, who must release() it. */
  readonly mat: Mat;
  /** Width and height of the encoded image (what the header claims), in pixels. */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** 1, or the factor the JPEG was reduced by: source pixel = decoded pixel x reduction. */
  readonly reduction: JpegReduction;
}

/**
 * Decodes JPEG or PNG bytes into an 8-bit BGR Mat (the caller releases it). `what` names the
 * input in errors. The size the header claims is checked against the limits first, so a frame
 * over them costs no memory. Other formats OpenCV reads (for image files) are decoded without
 * that check: their headers are not parsed here.
 *
 * @throws ImageError IMAGE_TOO_LARGE for a JPEG/PNG over the limits; IMAGE_DECODE_FAILED for
 *   empty, truncated or undecodable data.
 */
export function decodeEncodedImage(
  bytes: Uint8Array,
  what: string,
  options: EncodedImageDecodeOptions = {},
): Mat {
  const { fail } = checkEncoded(bytes, what, options);
  let mat: Mat;
  try {
    // IMREAD_COLOR: always 3-channel 8-bit BGR (grey expanded, alpha dropped, 16-bit scaled).
    mat = cv.imdecode(asBuffer(bytes), cv.IMREAD_COLOR);
  } catch (err) {
    throw fail(err instanceof Error ? err.message : String(err), err);
  }
  return checkDecoded(mat, fail);
}

/**
 * decodeEncodedImage on libuv's thread pool: the main thread stays free, e.g. while ONNX Runtime
 * runs the previous frame (its Node binding runs inference on the main thread). With `reduceTo`
 * a large JPEG is decoded at reduced scale.
 */
export async function decodeEncodedImageAsync(
  bytes: Uint8Array,
  what: string,
  options: ReducibleDecodeOptions = {},
): Promise<DecodedImage> {
  const { fail, size } = checkEncoded(bytes, what, options);
  const reduction =
    size?.format === 'jpeg' && options.reduceTo !== undefined
      ? chooseJpegReduction(size, options.reduceTo)
      : 1;
  let mat: Mat;
  try {
    mat = await cv.imdecodeAsync(asBuffer(bytes), READ_FLAGS[reduction]);
  } catch (err) {
    throw fail(err instanceof Error ? err.message : String(err), err);
  }
  checkDecoded(mat, fail);
  const sourceWidth = size?.width ?? mat.cols;
  const sourceHeight = size?.height ?? mat.rows;
  const expected = reducedSize({ width: sourceWidth, height: sourceHeight }, reduction);
  if (mat.cols !== expected.width || mat.rows !== expected.height) {
    // The mapping of coordinates back to the source relies on this size.
    const got = `${mat.cols}x${mat.rows}`;
    mat.release();
    throw fail(
      `OpenCV decoded it to ${got}, but its header claims ${sourceWidth}x${sourceHeight} ` +
        `(at 1/${reduction} scale: ${expected.width}x${expected.height}); ` +
        'set image.jpeg_reduced_decode to off if this persists',
    );
  }
  return { mat, sourceWidth, sourceHeight, reduction };
}

/** imdecode flags per reduction: always 3-channel 8-bit BGR. */
const READ_FLAGS: Readonly<Record<JpegReduction, number>> = {
  1: cv.IMREAD_COLOR,
  2: cv.IMREAD_REDUCED_COLOR_2,
  4: cv.IMREAD_REDUCED_COLOR_4,
  8: cv.IMREAD_REDUCED_COLOR_8,
};

type Failure = (reason: string, cause?: unknown) => ImageError;

/**
 * Checks what can be checked before decoding: data present, JPEG complete, and the size the
 * header claims within the limits. Returns the error factory for this input and that size
 * (undefined for formats other than JPEG and PNG).
 */
function checkEncoded(
  bytes: Uint8Array,
  what: string,
  options: EncodedImageDecodeOptions,
): { fail: Failure; size: EncodedImageSize | undefined } {
  const fail: Failure = (reason, cause) =>
    new ImageError(
      'IMAGE_DECODE_FAILED',
      `Cannot decode ${what} (${bytes.length} bytes, starting ${hexPrefix(bytes)}): ${reason}`,
      cause === undefined ? undefined : { cause },
    );
  if (bytes.length === 0) throw fail('there is no data');
  const size = readEncodedImageSize(bytes, what);
  if (size !== undefined) {
    checkImageSize(size.width, size.height, options.limits ?? DEFAULT_IMAGE_LIMITS, what);
  }
  if (size?.format === 'jpeg' && !hasJpegEnd(bytes)) {
    throw fail('the JPEG has no End Of Image marker (ff d9), so it is truncated');
  }
  return { fail, size };
}

function checkDecoded(mat: Mat, fail: Failure): Mat {
  if (mat.empty) {
    mat.release();
    throw fail(
      'OpenCV found no decodable JPEG/PNG image in it (corrupt, truncated or another format)',
    );
  }
  return mat;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function hasJpegEnd(bytes: Uint8Array): boolean {
  const from = Math.max(2, bytes.length - 1024);
  for (let i = bytes.length - 2; i >= from; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}
