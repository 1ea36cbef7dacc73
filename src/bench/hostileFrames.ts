/**
 * Hostile camera messages for the soak benchmark and the fuzz tests: valid JPEG and PNG frames
 * rewritten to claim absurd sizes, and a fixed set of messages no camera should send, all made
 * from a real frame so that only the damage differs.
 */
import zlib from 'node:zlib';
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
 * @throws Error when the JPEG has no SOF marker before its scan.
 */
export function withJpegSize(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const out = jpeg.slice();
  let at = 2;
  while (at + 9 < out.length && out[at] === 0xff) {
    const marker = out[at + 1] ?? 0;
    const length = ((out[at + 2] ?? 0) << 8) | (out[at + 3] ?? 0);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      out[at + 5] = height >> 8;
      out[at + 6] = height & 0xff;
      out[at + 7] = width >> 8;
      out[at + 8] = width & 0xff;
      return out;
    }
    at += 2 + length;
  }
  throw new Error('no SOF marker in the seed JPEG');
}

/** A PNG whose IHDR claims width x height, its CRC fixed (or left stale). */
export function withPngSize(
  png: Uint8Array,
  width: number,
  height: number,
  fixCrc: boolean,
): Uint8Array {
  const out = png.slice();
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  // Signature (8), IHDR length (4), 'IHDR' (4), then width and height.
  view.setUint32(16, width);
  view.setUint32(20, height);
  if (fixCrc) view.setUint32(29, zlib.crc32(out.subarray(12, 29)));
  return out;
}
