import type { CompressedImage, Header } from '../messages/types.js';
import cv from './cv.js';
import type { Mat } from './cv.js';
import { encodeJpeg, encodePng } from './encodeImage.js';

/** Options of matToCompressedImage. */
export interface CompressedImageOptions {
  /** JPEG quality 0..100. Default 90. */
  readonly jpegQuality?: number;
}

/**
 * Builds a `sensor_msgs/msg/CompressedImage` from a BGR (CV_8UC3) or grey (CV_8UC1) Mat, with
 * `format` as image_transport's compressed publisher writes it: "bgr8; jpeg compressed bgr8",
 * "mono8; png compressed mono8", etc. `mat` is unchanged and still owned by the caller.
 *
 * @throws TypeError for another Mat type; RangeError for another format or a bad quality.
 */
export function matToCompressedImage(
  mat: Mat,
  header: Header,
  format: 'jpeg' | 'png',
  options: CompressedImageOptions = {},
): CompressedImage {
  let data: Uint8Array;
  switch (format) {
    case 'jpeg':
      data = encodeJpeg(mat, options.jpegQuality ?? 90);
      break;
    case 'png':
      data = encodePng(mat);
      break;
    default:
      throw new RangeError(`'format' must be 'jpeg' or 'png', got ${JSON.stringify(format)}`);
  }
  const encoding = mat.type === cv.CV_8UC1 ? 'mono8' : 'bgr8';
  return {
    header: { stamp: { ...header.stamp }, frame_id: header.frame_id },
    format: `${encoding}; ${format} compressed ${encoding}`,
    data,
  };
}
