/**
 * The `sensor_msgs/msg/Image` encodings this package decodes, with their memory layout. Pure
 * data: no OpenCV here, so config checks and docs can list the encodings without loading it.
 */

/** Encodings decodeImage accepts, by their canonical ROS names (sensor_msgs/image_encodings.h). */
export const SUPPORTED_IMAGE_ENCODINGS = [
  'rgb8',
  'bgr8',
  'rgba8',
  'bgra8',
  'mono8',
  'mono16',
  'yuv422',
  'yuv422_yuy2',
  'bayer_rggb8',
  'bayer_bggr8',
  'bayer_gbrg8',
  'bayer_grbg8',
] as const;

/** One of the canonical encodings in SUPPORTED_IMAGE_ENCODINGS. */
export type ImageEncoding = (typeof SUPPORTED_IMAGE_ENCODINGS)[number];

/**
 * Generic OpenCV-style type names some drivers publish instead of a colour encoding. cv_bridge
 * treats a 3-channel 8-bit image as BGR and a 1-channel one as grey, and so do we.
 */
export const IMAGE_ENCODING_ALIASES: Readonly<Record<string, ImageEncoding>> = {
  '8UC3': 'bgr8',
  '8UC1': 'mono8',
};

const BYTES_PER_PIXEL: Readonly<Record<ImageEncoding, number>> = {
  rgb8: 3,
  bgr8: 3,
  rgba8: 4,
  bgra8: 4,
  mono8: 1,
  mono16: 2,
  // 4:2:2 packs two pixels in four bytes (U Y0 V Y1 or Y0 U Y1 V).
  yuv422: 2,
  yuv422_yuy2: 2,
  bayer_rggb8: 1,
  bayer_bggr8: 1,
  bayer_gbrg8: 1,
  bayer_grbg8: 1,
};

/**
 * The canonical encoding for a message's `encoding` field (aliases resolved), or undefined
 * when it is not supported. Matching is exact, as in ROS: 'RGB8' is not 'rgb8'.
 */
export function resolveImageEncoding(encoding: string): ImageEncoding | undefined {
  if ((SUPPORTED_IMAGE_ENCODINGS as readonly string[]).includes(encoding)) {
    return encoding as ImageEncoding;
  }
  return Object.hasOwn(IMAGE_ENCODING_ALIASES, encoding)
    ? IMAGE_ENCODING_ALIASES[encoding]
    : undefined;
}

/** Bytes one pixel takes in a row of the given encoding (for 4:2:2, the average: 2). */
export function bytesPerPixel(encoding: ImageEncoding): number {
  return BYTES_PER_PIXEL[encoding];
}
