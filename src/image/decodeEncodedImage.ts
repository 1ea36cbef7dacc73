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
 * Decodes JPEG or PNG bytes into an 8-bit BGR Mat (the caller releases it). `what` names the
 * input in errors. Throws ImageError IMAGE_DECODE_FAILED for empty, truncated or undecodable data.
 */
export function decodeEncodedImage(bytes: Uint8Array, what: string): Mat {
  const fail = checkEncoded(bytes, what);
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
 * runs the previous frame (its Node binding runs inference on the main thread).
 */
export async function decodeEncodedImageAsync(bytes: Uint8Array, what: string): Promise<Mat> {
  const fail = checkEncoded(bytes, what);
  let mat: Mat;
  try {
    mat = await cv.imdecodeAsync(asBuffer(bytes), cv.IMREAD_COLOR);
  } catch (err) {
    throw fail(err instanceof Error ? err.message : String(err), err);
  }
  return checkDecoded(mat, fail);
}

type Failure = (reason: string, cause?: unknown) => ImageError;

/** Checks what can be checked before decoding; returns the error factory for this input. */
function checkEncoded(bytes: Uint8Array, what: string): Failure {
  const fail: Failure = (reason, cause) =>
    new ImageError(
      'IMAGE_DECODE_FAILED',
      `Cannot decode ${what} (${bytes.length} bytes, starting ${hexPrefix(bytes)}): ${reason}`,
      cause === undefined ? undefined : { cause },
    );
  if (bytes.length === 0) throw fail('there is no data');
  if (sniffImageFormat(bytes) === 'jpeg' && !hasJpegEnd(bytes)) {
    throw fail('the JPEG has no End Of Image marker (ff d9), so it is truncated');
  }
  return fail;
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
