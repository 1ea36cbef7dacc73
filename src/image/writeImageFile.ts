import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';

import type { Mat } from './cv.js';
import { encodeJpeg, encodePng } from './encodeImage.js';

/** Options of writeImageFile. */
export interface WriteImageFileOptions {
  /** JPEG quality 0..100 for .jpg/.jpeg files. Default 90. */
  readonly jpegQuality?: number;
}

/**
 * Writes a BGR (CV_8UC3) or grey (CV_8UC1) Mat to `path` as JPEG (.jpg, .jpeg) or PNG (.png),
 * chosen by the extension (case-insensitive). Overwrites an existing file.
 *
 * @throws RangeError for another extension; TypeError for another Mat type; the file system's
 *   error (with the path) when the file cannot be written.
 */
export function writeImageFile(path: string, mat: Mat, options: WriteImageFileOptions = {}): void {
  const ext = extname(path).toLowerCase();
  let bytes: Uint8Array;
  if (ext === '.jpg' || ext === '.jpeg') {
    bytes = encodeJpeg(mat, options.jpegQuality ?? 90);
  } else if (ext === '.png') {
    bytes = encodePng(mat);
  } else {
    throw new RangeError(
      `'path' must end in .jpg, .jpeg or .png (the format is chosen by extension), got '${path}'`,
    );
  }
  writeFileSync(path, bytes);
}
