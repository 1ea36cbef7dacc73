import { ImageError } from '../errors.js';
import cv from './cv.js';
import type { Mat } from './cv.js';

/** Container formats recognised by their first bytes. */
export type EncodedImageFormat = 'jpeg' | 'png';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** 'jpeg' or 'png' from the file signature, or undefined for anything else. */
export function sniffImageFormat(bytes: Uint8Array): EncodedImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'jpeg';
  }
  if (bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    return 'png';
  }
  return undefined;
}

/** "ff d8 ff e0": the first bytes of a buffer, for error messages. */
export function hexPrefix(bytes: Uint8Array, count = 8): string {
  return Array.from(bytes.subarray(0, count), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Decodes an encoded image (JPEG, PNG, or anything else the system OpenCV reads) into an 8-bit
 * BGR Mat owned by the caller. `what` names the input in errors ("file 'a.jpg'",
 * "CompressedImage format 'jpeg'").
 *
 * A JPEG must end with its End Of Image marker: libjpeg decodes a truncated stream without
 * error, filling the missing rows with grey, and such a frame would give wrong detections.
 *
 * @throws ImageError IMAGE_DECODE_FAILED when the bytes do not decode, naming `what` and the
 *   byte count.
 */
export function decodeEncodedImage(bytes: Uint8Array, what: string): Mat {
  const fail = (reason: string, cause?: unknown): ImageError =>
    new ImageError(
      'IMAGE_DECODE_FAILED',
      `Cannot decode ${what} (${bytes.length} bytes, starting ${hexPrefix(bytes)}): ${reason}`,
      cause === undefined ? undefined : { cause },
    );
  if (bytes.length === 0) throw fail('there is no data');
  if (sniffImageFormat(bytes) === 'jpeg' && !hasJpegEnd(bytes)) {
    throw fail('the JPEG has no End Of Image marker (ff d9), so it is truncated');
  }
  let mat: Mat;
  try {
    // IMREAD_COLOR: always 3-channel 8-bit BGR (grey expanded, alpha dropped, 16-bit scaled).
    mat = cv.imdecode(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      cv.IMREAD_COLOR,
    );
  } catch (err) {
    throw fail(err instanceof Error ? err.message : String(err), err);
  }
  if (mat.empty) {
    mat.release();
    throw fail(
      'OpenCV found no decodable JPEG/PNG image in it (corrupt, truncated or another format)',
    );
  }
  return mat;
}

/**
 * Whether the JPEG ends with EOI (ff d9). Scan data never holds ff d9 (a data 0xff is stuffed
 * as ff 00), and some encoders pad after EOI, so look for it anywhere in the last 1 KiB.
 */
function hasJpegEnd(bytes: Uint8Array): boolean {
  const from = Math.max(2, bytes.length - 1024);
  for (let i = bytes.length - 2; i >= from; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}
