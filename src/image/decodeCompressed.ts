import { ImageError, boundedText } from '../errors.js';
import type { CompressedImage } from '../messages/types.js';
import type { Mat } from './cv.js';
import {
  decodeEncodedImage,
  decodeEncodedImageAsync,
  hexPrefix,
  sniffImageFormat,
  type DecodedImage,
  type EncodedImageDecodeOptions,
  type ReducibleDecodeOptions,
} from './decodeEncodedImage.js';

/**
 * Decodes a `sensor_msgs/msg/CompressedImage` (JPEG or PNG) into an 8-bit BGR Mat (CV_8UC3)
 * owned by the caller, who must `release()` it.
 *
 * `format` is read as image_transport writes it: "jpeg", "png", or
 * "<original encoding>; <jpeg|png> compressed <encoding>" (e.g. "rgb8; jpeg compressed bgr8").
 * The bytes themselves decide between JPEG and PNG (by their signature), since the pixel data
 * is BGR after OpenCV decodes it whatever the original encoding was. An empty format is
 * accepted. Depth streams ("16UC1; compressedDepth png") are refused: they are not colour.
 *
 * The size the JPEG/PNG header claims is checked against `options.limits` before decoding.
 *
 * @throws ImageError IMAGE_UNSUPPORTED_ENCODING for a format other than JPEG or PNG;
 *   IMAGE_TOO_LARGE for an image over the limits; IMAGE_DECODE_FAILED for data that is not a
 *   complete JPEG or PNG, naming the format and the byte count.
 */
export function decodeCompressed(
  msg: CompressedImage,
  options: EncodedImageDecodeOptions = {},
): Mat {
  const { data, what } = checkCompressed(msg);
  return decodeEncodedImage(data, what, options);
}

/**
 * decodeCompressed with the decoding on libuv's thread pool, and a large JPEG optionally decoded
 * at reduced scale (see decodeEncodedImageAsync).
 */
export async function decodeCompressedAsync(
  msg: CompressedImage,
  options: ReducibleDecodeOptions = {},
): Promise<DecodedImage> {
  const { data, what } = checkCompressed(msg);
  return decodeEncodedImageAsync(data, what, options);
}

function checkCompressed(msg: CompressedImage): { data: Uint8Array; what: string } {
  const format = typeof msg.format === 'string' ? msg.format : '';
  checkFormat(format);
  const data = msg.data as unknown;
  if (!(data instanceof Uint8Array)) {
    throw new ImageError(
      'IMAGE_INVALID',
      `CompressedImage data must be a Uint8Array, got ${typeof data}; subscribe with typed ` +
        'arrays (rclnodejs enableTypedArray: true)',
    );
  }
  if (sniffImageFormat(data) === undefined) {
    throw new ImageError(
      'IMAGE_DECODE_FAILED',
      `Cannot decode CompressedImage format '${boundedText(format)}' (${data.length} bytes, starting ` +
        `${hexPrefix(data)}): the data is neither a JPEG nor a PNG`,
    );
  }
  return { data, what: `CompressedImage format '${boundedText(format)}'` };
}

function checkFormat(format: string): void {
  const lower = format.toLowerCase();
  if (lower.includes('compresseddepth')) {
    throw new ImageError(
      'IMAGE_UNSUPPORTED_ENCODING',
      `CompressedImage format '${boundedText(format)}' is a compressedDepth (depth image) stream, which has ` +
        'no colour; subscribe to a colour image topic',
    );
  }
  // The compression is the word before "compressed", or the whole string when bare.
  const match = /(?:^|;)\s*([a-z0-9]+)\s+compressed\b/.exec(lower);
  const compression = match?.[1] ?? lower.trim();
  if (compression !== '' && !['jpeg', 'jpg', 'png'].includes(compression)) {
    throw new ImageError(
      'IMAGE_UNSUPPORTED_ENCODING',
      `CompressedImage format '${boundedText(format)}' is not supported; supported: jpeg, png ` +
        '(as written by image_transport, e.g. "jpeg" or "bgr8; jpeg compressed bgr8")',
    );
  }
}
