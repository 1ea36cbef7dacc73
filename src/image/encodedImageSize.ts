/**
 * The width and height a JPEG or PNG claims, read from its header without decoding anything:
 * what a decoder is about to allocate, so that a frame can be refused before it costs memory.
 * Pure: no OpenCV.
 */
import { ImageError } from '../errors.js';

/** Container formats recognised by their first bytes. */
export type EncodedImageFormat = 'jpeg' | 'png';

/** The size an encoded image claims. */
export interface EncodedImageSize {
  readonly format: EncodedImageFormat;
  readonly width: number;
  readonly height: number;
}

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
 * Reads the size a JPEG (its first SOFn frame header) or PNG (its IHDR chunk) claims. Only the
 * header is read; nothing is allocated beyond a few numbers. `what` names the input in errors.
 *
 * The JPEG markers are walked as libjpeg walks them (jdmarker.c), so that the size found is the
 * size libjpeg would allocate: fill bytes (ff ff ...) before a marker are skipped, stray bytes
 * between segments are skipped up to the next marker, and the first SOFn (ff c0..ff cf except
 * DHT ff c4, JPG ff c8 and DAC ff cc) gives the size.
 *
 * @returns undefined when the bytes are neither JPEG nor PNG (another format, not checked here).
 * @throws ImageError IMAGE_DECODE_FAILED for a JPEG/PNG whose header is truncated, malformed,
 *   has no frame header before the image data, or claims a width or height of 0.
 */
export function readEncodedImageSize(
  bytes: Uint8Array,
  what = 'the image',
): EncodedImageSize | undefined {
  const format = sniffImageFormat(bytes);
  if (format === undefined) return undefined;
  const fail = (reason: string): ImageError =>
    new ImageError(
      'IMAGE_DECODE_FAILED',
      `Cannot decode ${what} (${bytes.length} bytes, starting ${hexPrefix(bytes)}): ${reason}`,
    );
  const size = format === 'jpeg' ? jpegSize(bytes, fail) : pngSize(bytes, fail);
  if (size.width === 0 || size.height === 0) {
    throw fail(
      `its header claims ${size.width}x${size.height}, an empty image; the encoder or camera wrote a broken header`,
    );
  }
  return { format, ...size };
}

type Fail = (reason: string) => ImageError;

interface Size {
  width: number;
  height: number;
}

// Markers without a length field: TEM, RST0..RST7. SOI and EOI are handled on their own.
const STANDALONE = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7]);

function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function hex(marker: number): string {
  return `ff ${marker.toString(16).padStart(2, '0')}`;
}

/**
 * Where a JPEG's frame size is: the byte offset of the first SOFn's height field (big-endian
 * 16 bits, then the width), found by the same marker walk as {@link readEncodedImageSize}. For
 * tools that write a size into a real JPEG (the soak benchmark's dimension bombs).
 * @throws ImageError IMAGE_DECODE_FAILED when the bytes are not a JPEG with a complete frame header.
 */
export function jpegFrameSizeOffset(bytes: Uint8Array): number {
  if (sniffImageFormat(bytes) !== 'jpeg') {
    throw new ImageError('IMAGE_DECODE_FAILED', `not a JPEG (starting ${hexPrefix(bytes)})`);
  }
  return jpegSizeOffset(bytes, (reason) => new ImageError('IMAGE_DECODE_FAILED', reason));
}

function jpegSize(bytes: Uint8Array, fail: Fail): Size {
  const at = jpegSizeOffset(bytes, fail);
  return { height: readU16(bytes, at), width: readU16(bytes, at + 2) };
}

/** The offset of the first SOFn's height field; see readEncodedImageSize for the walk. */
function jpegSizeOffset(bytes: Uint8Array, fail: Fail): number {
  const end = bytes.length;
  const truncated = (at: number, inside: string): ImageError =>
    fail(
      `the data ends at byte ${end}, inside ${inside} at offset ${at}, before any frame header ` +
        '(SOF); the JPEG is truncated',
    );
  let pos = 2; // after SOI (ff d8), checked by sniffImageFormat
  for (;;) {
    // Find the next marker: skip stray bytes up to an ff, then fill bytes (ff ff ...); ff 00 is
    // a stuffed zero inside data, not a marker, so the search goes on (libjpeg's next_marker).
    let marker: number | undefined;
    let at = pos;
    while (marker === undefined) {
      while (pos < end && bytes[pos] !== 0xff) pos++;
      while (pos < end && bytes[pos] === 0xff) pos++;
      if (pos >= end) {
        throw fail(
          `no frame header (SOF marker ff c0..ff cf) in the ${end} bytes; the JPEG is truncated ` +
            'or not a JPEG image',
        );
      }
      const code = bytes[pos++] as number;
      at = pos - 2;
      if (code !== 0x00) marker = code;
    }
    if (marker === 0xd9) {
      throw fail(`it ends (EOI marker ff d9 at offset ${at}) before any frame header (SOF)`);
    }
    if (marker === 0xda) {
      throw fail(
        `its scan data (SOS marker ff da at offset ${at}) comes before any frame header (SOF)`,
      );
    }
    if (marker === 0xd8) throw fail(`it has a second start marker (ff d8) at offset ${at}`);
    if (STANDALONE.has(marker)) continue;
    if (pos + 2 > end) throw truncated(at, `the length of segment ${hex(marker)}`);
    const length = readU16(bytes, pos);
    if (length < 2) {
      throw fail(`segment ${hex(marker)} at offset ${at} has length ${length} (at least 2)`);
    }
    if (isSof(marker)) {
      // SOFn: length (2), sample precision (1), height (2), width (2), components (1), ...
      if (length < 8) {
        throw fail(`its frame header (${hex(marker)} at offset ${at}) is ${length} bytes, under 8`);
      }
      if (pos + 7 > end) throw truncated(at, `the frame header (${hex(marker)})`);
      return pos + 3;
    }
    pos += length;
    if (pos > end) throw truncated(at, `segment ${hex(marker)} of ${length} bytes`);
  }
}

function pngSize(bytes: Uint8Array, fail: Fail): Size {
  // Signature (8), then the first chunk, which must be IHDR: length (4) = 13, type (4),
  // width (4), height (4), ... (libpng refuses any other first chunk).
  if (bytes.length < 24) {
    throw fail(
      `it has ${bytes.length} bytes, too few for the IHDR header (24); the PNG is truncated`,
    );
  }
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  const length = readU32(bytes, 8);
  if (type !== 'IHDR' || length !== 13) {
    throw fail(
      `its first chunk is ${JSON.stringify(type)} of ${length} bytes, not IHDR of 13 bytes; the PNG is corrupt`,
    );
  }
  return { width: readU32(bytes, 16), height: readU32(bytes, 20) };
}

function readU16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
}

function readU32(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at] as number) * 2 ** 24 +
    (((bytes[at + 1] as number) << 16) |
      ((bytes[at + 2] as number) << 8) |
      (bytes[at + 3] as number))
  );
}
