import { readFileSync } from 'node:fs';

import { ImageError } from '../errors.js';
import type { Mat } from './cv.js';
import { decodeEncodedImage } from './decodeEncodedImage.js';

/**
 * Reads an image file (JPEG, PNG, or another format the system OpenCV reads) into an 8-bit BGR
 * Mat (CV_8UC3) owned by the caller, who must `release()` it. Grey images are expanded to three
 * channels and alpha is dropped.
 *
 * @throws ImageError IMAGE_INVALID when the file cannot be read (the cause holds the system
 *   error); IMAGE_DECODE_FAILED when its bytes are not a complete image. Both name the path.
 */
export function readImageFile(path: string): Mat {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new ImageError(
      'IMAGE_INVALID',
      `Cannot read image file '${path}': ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  return decodeEncodedImage(bytes, `image file '${path}'`);
}
