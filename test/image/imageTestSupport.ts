/**
 * Helpers for the image tests: the fixture photos, and an independent, plain-JS encoder that
 * turns a BGR photo into a sensor_msgs/Image in any supported encoding (so the decoder is
 * checked against code that does not share its OpenCV calls).
 */
import path from 'node:path';

import type { Image } from '../../src/messages/types.js';
import cv from '../../src/image/cv.js';
import type { Mat } from '../../src/image/cv.js';
import { readImageFile } from '../../src/image/readImageFile.js';
import { fixturesDir } from '../support/paths.js';

export const header = { stamp: { sec: 1700000000, nanosec: 250 }, frame_id: 'camera_optical' };

/** Path of a fixture photo. */
export function photoPath(name: string): string {
  return path.join(fixturesDir, 'images', name);
}

/** A fixture photo as a BGR Mat (the caller releases it). */
export function loadPhoto(name: string): Mat {
  return readImageFile(photoPath(name));
}

/** A copy of a continuous Mat's bytes. */
export function bytesOf(mat: Mat): Uint8Array {
  const b = mat.getData();
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** A BGR Mat from packed bytes (copied). */
export function matFromBgr(bytes: Uint8Array, width: number, height: number): Mat {
  return new cv.Mat(Buffer.from(bytes), height, width, cv.CV_8UC3);
}

/** Mean and maximum absolute difference of two equally long byte arrays. */
export function diff(a: Uint8Array, b: Uint8Array): { mean: number; max: number } {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    sum += d;
    if (d > max) max = d;
  }
  return { mean: sum / a.length, max };
}

/** Rec. 601 luma of packed BGR, rounded: the grey values the mono test messages carry. */
export function grayOf(bgr: Uint8Array): Uint8Array {
  const out = new Uint8Array(bgr.length / 3);
  for (let p = 0; p < out.length; p++) {
    const i = 3 * p;
    out[p] = Math.round(0.114 * bgr[i]! + 0.587 * bgr[i + 1]! + 0.299 * bgr[i + 2]!);
  }
  return out;
}

/** Each grey value repeated in B, G and R. */
export function grayToBgr(gray: Uint8Array): Uint8Array {
  const out = new Uint8Array(gray.length * 3);
  for (let p = 0; p < gray.length; p++) out.fill(gray[p]!, 3 * p, 3 * p + 3);
  return out;
}

export interface MessageLayout {
  /** Extra bytes at the end of each row (filled with 0xa5). Default 0. */
  padding?: number;
  /** Where the pixel bytes start inside their ArrayBuffer. Default 0. */
  byteOffset?: number;
  /** mono16 byte order. Default false (little-endian). */
  bigEndian?: boolean;
}

const CHANNEL: Record<string, number> = { b: 0, g: 1, r: 2 };

/**
 * Bytes of one pixel row in `encoding`, made from packed BGR, written at `out`. Encoders by
 * their textbook definitions: BT.601 limited range for YUV 4:2:2 (chroma averaged over each
 * pixel pair), the ROS pattern name read row by row for Bayer, grey * 257 plus a small
 * position-dependent offset for mono16 (so the low byte matters but rounds away).
 */
function encodeRow(
  encoding: string,
  bgr: Uint8Array,
  width: number,
  y: number,
  out: Uint8Array,
  bigEndian: boolean,
): void {
  const px = (x: number, c: number): number => bgr[(y * width + x) * 3 + c]!;
  const luma = (x: number): number =>
    Math.round(0.114 * px(x, 0) + 0.587 * px(x, 1) + 0.299 * px(x, 2));
  switch (encoding) {
    case 'bgr8':
    case '8UC3':
      out.set(bgr.subarray(y * width * 3, (y + 1) * width * 3));
      return;
    case 'rgb8':
    case 'rgba8':
    case 'bgra8': {
      const n = encoding === 'rgb8' ? 3 : 4;
      const order = encoding === 'bgra8' ? [0, 1, 2] : [2, 1, 0];
      for (let x = 0; x < width; x++) {
        for (let k = 0; k < 3; k++) out[x * n + k] = px(x, order[k]!);
        if (n === 4) out[x * n + 3] = (x * 37) & 0xff; // alpha, which decoding must ignore
      }
      return;
    }
    case 'mono8':
    case '8UC1':
      for (let x = 0; x < width; x++) out[x] = luma(x);
      return;
    case 'mono16':
      for (let x = 0; x < width; x++) {
        const v = Math.min(65535, Math.max(0, luma(x) * 257 + (((x * 7 + y * 3) % 255) - 127)));
        out[2 * x + (bigEndian ? 0 : 1)] = v >> 8;
        out[2 * x + (bigEndian ? 1 : 0)] = v & 0xff;
      }
      return;
    case 'yuv422':
    case 'yuv422_yuy2': {
      const yuv = (x: number): [number, number, number] => {
        const [b, g, r] = [px(x, 0), px(x, 1), px(x, 2)];
        return [
          16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255,
          128 + (-37.797 * r - 74.203 * g + 112 * b) / 255,
          128 + (112 * r - 93.786 * g - 18.214 * b) / 255,
        ];
      };
      for (let x = 0; x < width; x += 2) {
        const [y0, u0, v0] = yuv(x);
        const [y1, u1, v1] = yuv(x + 1);
        const u = Math.round((u0 + u1) / 2);
        const v = Math.round((v0 + v1) / 2);
        const bytes =
          encoding === 'yuv422'
            ? [u, Math.round(y0), v, Math.round(y1)]
            : [Math.round(y0), u, Math.round(y1), v];
        out.set(bytes, x * 2);
      }
      return;
    }
    default: {
      const pattern = /^bayer_([rgb]{4})8$/.exec(encoding)?.[1];
      if (pattern === undefined) throw new Error(`test encoder: no encoding ${encoding}`);
      for (let x = 0; x < width; x++) {
        out[x] = px(x, CHANNEL[pattern[(y % 2) * 2 + (x % 2)]!]!);
      }
    }
  }
}

const BYTES: Record<string, number> = {
  rgb8: 3,
  bgr8: 3,
  '8UC3': 3,
  rgba8: 4,
  bgra8: 4,
  mono16: 2,
};

/** Bytes per pixel of an encoding, for the test encoder. */
export function testBytesPerPixel(encoding: string): number {
  if (encoding.startsWith('yuv422')) return 2;
  return BYTES[encoding] ?? 1;
}

/** A sensor_msgs/Image in `encoding` made from a BGR photo, with the requested layout. */
export function makeImageMessage(mat: Mat, encoding: string, layout: MessageLayout = {}): Image {
  const { padding = 0, byteOffset = 0, bigEndian = false } = layout;
  const width = mat.cols;
  const height = mat.rows;
  const bgr = bytesOf(mat);
  const rowBytes = width * testBytesPerPixel(encoding);
  const step = rowBytes + padding;
  const data = new Uint8Array(new ArrayBuffer(byteOffset + step * height), byteOffset);
  data.fill(0xa5);
  for (let y = 0; y < height; y++) {
    encodeRow(encoding, bgr, width, y, data.subarray(y * step, y * step + rowBytes), bigEndian);
  }
  return {
    header,
    height,
    width,
    encoding,
    is_bigendian: bigEndian ? 1 : 0,
    step,
    data,
  };
}

/** A BGR Mat of solid rectangles: `cells` is rows of RGB colours, each cell `size` px square. */
export function patchworkMat(
  cells: readonly (readonly [number, number, number])[][],
  size: number,
): Mat {
  const height = cells.length * size;
  const width = (cells[0]?.length ?? 0) * size;
  const bytes = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = cells[Math.floor(y / size)]![Math.floor(x / size)]!;
      bytes.set([b, g, r], (y * width + x) * 3);
    }
  }
  return matFromBgr(bytes, width, height);
}
