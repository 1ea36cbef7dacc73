import type { Header, Image } from '../messages/types.js';
import { assertGrayOrBgrMat } from './assertBgrMat.js';
import cv from './cv.js';
import type { Mat } from './cv.js';

/** Encodings matToImageMessage writes. */
export type OutputImageEncoding = 'rgb8' | 'bgr8' | 'mono8';

/**
 * Builds a `sensor_msgs/msg/Image` from a BGR (CV_8UC3) or grey (CV_8UC1) Mat: packed rows
 * (step = width x bytes per pixel), little-endian flag 0, a fresh copy of the pixels. Colour to
 * mono8 uses OpenCV's BGR2GRAY (Rec. 601 luma). `mat` is unchanged and still owned by the caller.
 *
 * @throws TypeError for another Mat type; RangeError for another encoding.
 */
export function matToImageMessage(mat: Mat, header: Header, encoding: OutputImageEncoding): Image {
  assertGrayOrBgrMat(mat);
  const gray = mat.type === cv.CV_8UC1;
  let code: number | undefined;
  switch (encoding) {
    case 'bgr8':
      code = gray ? cv.COLOR_GRAY2BGR : undefined;
      break;
    case 'rgb8':
      code = gray ? cv.COLOR_GRAY2RGB : cv.COLOR_BGR2RGB;
      break;
    case 'mono8':
      code = gray ? undefined : cv.COLOR_BGR2GRAY;
      break;
    default:
      throw new RangeError(
        `'encoding' must be 'rgb8', 'bgr8' or 'mono8', got ${JSON.stringify(encoding)}`,
      );
  }
  // copy() also makes a region of interest continuous, which getData requires.
  const converted = code === undefined ? mat.copy() : mat.cvtColor(code);
  try {
    const bytes = converted.getData();
    return {
      header: { stamp: { ...header.stamp }, frame_id: header.frame_id },
      height: converted.rows,
      width: converted.cols,
      encoding,
      is_bigendian: 0,
      step: converted.cols * converted.channels,
      data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    };
  } finally {
    converted.release();
  }
}
