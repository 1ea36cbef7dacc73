/**
 * Hostile camera messages for the soak benchmark: a valid JPEG frame rewritten to claim an
 * absurd size, and a fixed set of messages no camera should send, all made from a real frame so
 * that only the damage differs. (The tests forge their images independently of the header
 * reader: test/image/hostileImages.ts.)
 */
import { jpegFrameSizeOffset } from '../image/encodedImageSize.js';
import type { CompressedImage, Header } from '../messages/types.js';

/**
 * Five hostile CompressedImages made from one valid JPEG, in a fixed order: a dimension bomb
 * (30000x30000 claimed), the JPEG cut in half, bytes that are no image, a depth stream's
 * format, and no data at all. Each must be refused with its reason and cost nothing lasting.
 */
export function hostileCompressedImages(jpeg: Uint8Array, header: Header): CompressedImage[] {
  return [
    { header, format: 'jpeg', data: withJpegSize(jpeg, 30_000, 30_000) },
    { header, format: 'jpeg', data: jpeg.slice(0, Math.floor(jpeg.length / 2)) },
    { header, format: 'jpeg', data: new Uint8Array(jpeg.length).fill(0x5a) },
    { header, format: '16UC1; compressedDepth png', data: jpeg.slice() },
    { header, format: 'jpeg', data: new Uint8Array(0) },
  ];
}

/**
 * A copy of a JPEG whose frame header (SOF) claims width x height; the scan data is unchanged.
 * @throws ImageError when the JPEG has no complete frame header.
 */
export function withJpegSize(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const out = jpeg.slice();
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const at = jpegFrameSizeOffset(out);
  view.setUint16(at, height);
  view.setUint16(at + 2, width);
  return out;
}
