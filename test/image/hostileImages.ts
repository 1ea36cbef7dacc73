/**
 * Hostile and broken encoded images for the pixel-budget tests, built from real files by
 * rewriting their headers by hand (independently of src/image/encodedImageSize.ts).
 */
import assert from 'node:assert/strict';
import zlib from 'node:zlib';

/**
 * A copy of a baseline JPEG whose frame header (ff c0, the first one) claims `width` x
 * `height`; the compressed data is unchanged, so only a header reader sees the new size.
 */
export function withJpegSize(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(jpeg);
  const at = sofOffset(out);
  // ff c0, length (2), precision (1), height (2), width (2)
  out[at + 5] = height >> 8;
  out[at + 6] = height & 0xff;
  out[at + 7] = width >> 8;
  out[at + 8] = width & 0xff;
  return out;
}

/** Offset of the first ff c0 marker of a JPEG as OpenCV writes it (checked: 8-bit precision). */
export function sofOffset(jpeg: Uint8Array): number {
  for (let i = 2; i + 1 < jpeg.length; i++) {
    if (jpeg[i] === 0xff && jpeg[i + 1] === 0xc0) {
      assert.equal(jpeg[i + 4], 8, 'precision byte of the SOF0 found');
      return i;
    }
  }
  throw new Error('no SOF0 marker');
}

/**
 * A copy of a PNG whose IHDR claims `width` x `height`; its CRC is left as it was unless
 * `fixCrc` (then only a size check, not libpng's CRC check, refuses it).
 */
export function withPngSize(
  png: Uint8Array,
  width: number,
  height: number,
  fixCrc = false,
): Uint8Array {
  const out = new Uint8Array(png);
  assert.equal(String.fromCharCode(...out.subarray(12, 16)), 'IHDR');
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(16, width);
  view.setUint32(20, height);
  // The CRC covers the chunk type and data: bytes 12..28; it follows at 29.
  if (fixCrc) view.setUint32(29, zlib.crc32(out.subarray(12, 29)));
  return out;
}

/** Bytes from numbers and byte arrays. */
export function bytes(...parts: (number | readonly number[] | Uint8Array)[]): Uint8Array {
  const flat: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') flat.push(part);
    else flat.push(...part);
  }
  return new Uint8Array(flat);
}

/** A JPEG segment: marker ff `code`, then its length and payload. */
export function segment(code: number, payload: readonly number[] = []): number[] {
  const length = payload.length + 2;
  return [0xff, code, length >> 8, length & 0xff, ...payload];
}

/** A SOFn payload: precision 8, `height`, `width`, one component. */
export function sofPayload(width: number, height: number): number[] {
  return [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0];
}
