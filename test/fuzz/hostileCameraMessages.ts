/**
 * A seeded generator of hostile camera messages mixed with valid ones, for the fuzz suites.
 *
 * Every message is built in the test from two small real photos (encoded here as JPEG and PNG)
 * and a seeded random source, so a failure is reproducible from its seed and index. Each entry
 * says what the pipeline must do with it:
 * - `answer`: a valid frame; it must come out with its header, whatever else happened before it;
 * - `refuse`: it can never be a frame (a dimension bomb, bytes that are no image, a step that
 *   does not fit); it must be counted as failed with its reason;
 * - `either`: damage a lenient decoder may survive (libjpeg decodes a truncated or bit-flipped
 *   JPEG into a partly grey image): answered or refused, but never a crash or a silent loss.
 */
import cv from '../../src/image/cv.js';
import type { Mat } from '../../src/image/cv.js';
import type { CompressedImage, Header, Image } from '../../src/messages/types.js';
import { SeededRandom } from '../../src/mobilenet/seededRandom.js';
import { withJpegSize, withPngSize } from '../image/hostileImages.js';
import { loadPhoto } from '../image/imageTestSupport.js';

export type Expectation = 'answer' | 'refuse' | 'either';

/** One message to deliver, with the outcome it must have. */
export type HostileEntry =
  | {
      readonly kind: string;
      readonly expect: Expectation;
      readonly type: 'raw';
      readonly message: Image;
    }
  | {
      readonly kind: string;
      readonly expect: Expectation;
      readonly type: 'compressed';
      readonly message: CompressedImage;
    }
  | {
      /** Bytes that are not a CDR message at all (only a bag can carry them). */
      readonly kind: string;
      readonly expect: 'refuse';
      readonly type: 'bytes';
      readonly topic: 'raw' | 'compressed';
      readonly bytes: Uint8Array;
    };

/** The photos the messages are made from: small, so ten thousand of them stay a few MB. */
export interface FuzzSeeds {
  readonly jpeg: Uint8Array;
  readonly png: Uint8Array;
  readonly bgr: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Encodes a real photo at 96x72 as JPEG, PNG and packed BGR. */
export function fuzzSeeds(photo: Mat): FuzzSeeds {
  const small = photo.resize(72, 96);
  try {
    const bgr = small.getData();
    return {
      jpeg: new Uint8Array(cv.imencode('.jpg', small)),
      png: new Uint8Array(cv.imencode('.png', small)),
      bgr: new Uint8Array(bgr.buffer, bgr.byteOffset, bgr.byteLength),
      width: small.cols,
      height: small.rows,
    };
  } finally {
    small.release();
  }
}

/** {@link fuzzSeeds} of a fixture photo (see test/fixtures/images). */
export function fuzzSeedsOf(photoName: string): FuzzSeeds {
  const photo = loadPhoto(photoName);
  try {
    return fuzzSeeds(photo);
  } finally {
    photo.release();
  }
}

/** Options of {@link hostileCameraMessages}. */
export interface HostileOptions {
  readonly seed: number;
  readonly count: number;
  /** One valid frame in this many messages. */
  readonly validEvery: number;
  /** Include bytes that are not CDR (bags only; a live subscription never sees them). */
  readonly rawBytes: boolean;
}

/**
 * `count` messages, a valid frame every `validEvery`-th, the rest hostile, drawn from the seed.
 * Headers carry `fuzz-<index>` as frame_id (unless the entry is about absurd headers, where
 * the index still leads the frame_id), so an output can be matched to its input.
 */
export function hostileCameraMessages(seeds: FuzzSeeds, options: HostileOptions): HostileEntry[] {
  const random = new SeededRandom(options.seed);
  const make = new Maker(seeds, random);
  const out: HostileEntry[] = [];
  const hostile = [...HOSTILE_KINDS].filter((k) => options.rawBytes || k !== 'not-cdr');
  for (let i = 0; i < options.count; i++) {
    const h = headerFor(i);
    if (i % options.validEvery === 0) {
      out.push(make.valid(h, random.next() < 0.5));
    } else {
      const kind = hostile[Math.floor(random.next() * hostile.length)] ?? 'garbage';
      out.push(make.hostile(kind, h));
    }
  }
  return out;
}

const HOSTILE_KINDS = [
  'jpeg-bomb',
  'png-bomb',
  'truncated-jpeg',
  'truncated-png',
  'bitflip-jpeg',
  'bitflip-png',
  'garbage',
  'empty',
  'depth-format',
  'absurd-format',
  'bad-step',
  'short-data',
  'size-claim',
  'zero-size',
  'unknown-encoding',
  'absurd-encoding',
  'odd-yuv',
  'random-fields',
  'absurd-header',
  'not-cdr',
] as const;
type HostileKind = (typeof HOSTILE_KINDS)[number];

const ENCODINGS = ['rgb8', 'bgr8', 'rgba8', 'bgra8', 'mono8', 'mono16', 'yuv422', 'bayer_rggb8'];

function headerFor(index: number): Header {
  return {
    stamp: { sec: 1_700_000_000 + Math.floor(index / 30), nanosec: (index % 30) * 33_333_333 },
    frame_id: `fuzz-${index}`,
  };
}

/** The index a frame_id was made for (see {@link hostileCameraMessages}). */
export function indexOfFrameId(frameId: string): number | undefined {
  const match = /^fuzz-(\d+)/.exec(frameId);
  return match === null ? undefined : Number(match[1]);
}

class Maker {
  constructor(
    private readonly seeds: FuzzSeeds,
    private readonly random: SeededRandom,
  ) {}

  valid(header: Header, compressed: boolean): HostileEntry {
    return compressed
      ? { kind: 'valid', expect: 'answer', type: 'compressed', message: this.jpeg(header) }
      : {
          kind: 'valid',
          expect: 'answer',
          type: 'raw',
          message: this.raw(header, { data: this.seeds.bgr.slice() }),
        };
  }

  hostile(kind: HostileKind, header: Header): HostileEntry {
    const { seeds } = this;
    const compressed = (expect: Expectation, data: Uint8Array, format = 'jpeg'): HostileEntry => ({
      kind,
      expect,
      type: 'compressed',
      message: { header, format, data },
    });
    const raw = (expect: Expectation, fields: Partial<Image>): HostileEntry => ({
      kind,
      expect,
      type: 'raw',
      message: this.raw(header, fields),
    });
    switch (kind) {
      case 'jpeg-bomb': {
        const [w, h] = this.bombSize();
        return compressed('refuse', withJpegSize(seeds.jpeg, w, h));
      }
      case 'png-bomb': {
        const [w, h] = this.bombSize();
        return compressed('refuse', withPngSize(seeds.png, w, h, this.random.next() < 0.8), 'png');
      }
      case 'truncated-jpeg':
        return compressed('either', seeds.jpeg.slice(0, this.int(0, seeds.jpeg.length - 1)));
      case 'truncated-png':
        return compressed('either', seeds.png.slice(0, this.int(0, seeds.png.length - 1)), 'png');
      case 'bitflip-jpeg':
        return compressed('either', this.flipBits(seeds.jpeg));
      case 'bitflip-png':
        return compressed('either', this.flipBits(seeds.png), 'png');
      case 'garbage':
        // A leading zero byte: never a JPEG (FF D8) or PNG (89 50) signature.
        return compressed('refuse', Uint8Array.of(0, ...this.bytes(this.int(0, 4096))));
      case 'empty':
        return compressed('refuse', new Uint8Array(0), this.random.next() < 0.5 ? 'jpeg' : '');
      case 'depth-format':
        return compressed('refuse', seeds.jpeg.slice(), '16UC1; compressedDepth png');
      case 'absurd-format':
        // Never blank after trimming, never a JPEG or PNG name: refused before any decoding.
        return compressed('refuse', seeds.jpeg.slice(), `tiff${this.absurdString('tiff')}`);
      case 'bad-step':
        return raw('refuse', { step: this.int(0, seeds.width * 3 - 1) });
      case 'short-data':
        return raw('refuse', { data: seeds.bgr.slice(0, this.int(0, seeds.bgr.length - 1)) });
      case 'size-claim': {
        // Fields that claim far more pixels than the data holds (or than the limit allows).
        const width = this.pick([65_535, 100_000, 0xffffffff, 16_385, 30_000]);
        const height = this.pick([65_535, 100_000, 0xffffffff, 16_385, 30_000]);
        return raw('refuse', { width, height, step: Math.min(width * 3, 0xffffffff) });
      }
      case 'zero-size':
        return raw('refuse', { width: 0, height: this.pick([0, seeds.height]), step: 0 });
      case 'unknown-encoding':
        return raw('refuse', { encoding: this.pick(['32FC1', 'jpeg', 'RGB8', 'nv12', '']) });
      case 'absurd-encoding':
        return raw('refuse', { encoding: this.absurdString('enc') });
      case 'odd-yuv': {
        const width = seeds.width - 1;
        return raw('refuse', {
          encoding: 'yuv422',
          width,
          step: width * 2,
          data: new Uint8Array(width * 2 * seeds.height),
        });
      }
      case 'random-fields': {
        const width = this.int(0, 64);
        const height = this.int(0, 64);
        const encoding = this.pick(ENCODINGS);
        const step = this.int(0, 200);
        return raw('either', {
          width,
          height,
          encoding,
          step,
          is_bigendian: this.int(0, 1),
          data: this.bytes(this.random.next() < 0.5 ? step * height : this.int(0, 10_000)),
        });
      }
      case 'absurd-header': {
        // Fields a buggy driver may send; the frame itself is fine and must be answered.
        const absurd: Header = {
          stamp: {
            sec: this.pick([-2_147_483_648, 2_147_483_647, 0, -1]),
            nanosec: this.pick([0, 999_999_999, 1_000_000_000, 4_294_967_295]),
          },
          frame_id: `${header.frame_id}/${this.absurdString('frame')}`,
        };
        return { kind, expect: 'answer', type: 'compressed', message: this.jpeg(absurd) };
      }
      case 'not-cdr':
        return {
          kind,
          expect: 'refuse',
          type: 'bytes',
          topic: this.random.next() < 0.5 ? 'raw' : 'compressed',
          // Too short for any Image or CompressedImage (a header alone needs 12 bytes).
          bytes: this.bytes(this.int(0, 11)),
        };
    }
  }

  private jpeg(header: Header): CompressedImage {
    return { header, format: 'jpeg', data: this.seeds.jpeg.slice() };
  }

  private raw(header: Header, fields: Partial<Image>): Image {
    const { seeds } = this;
    return {
      header,
      height: seeds.height,
      width: seeds.width,
      encoding: 'bgr8',
      is_bigendian: 0,
      step: seeds.width * 3,
      data: seeds.bgr.slice(),
      ...fields,
    };
  }

  private bombSize(): [number, number] {
    return this.pick([
      [30_000, 30_000],
      [65_535, 65_535],
      [16_000, 16_000],
      [65_535, 1],
      [1, 65_535],
      [20_000, 12_000],
    ] as [number, number][]);
  }

  private flipBits(source: Uint8Array): Uint8Array {
    const out = source.slice();
    const flips = this.int(1, 24);
    for (let i = 0; i < flips; i++) {
      const at = this.int(0, out.length - 1);
      out[at] = (out[at] ?? 0) ^ (1 << this.int(0, 7));
    }
    return out;
  }

  /** Long, unicode, control characters: strings no camera sends. */
  private absurdString(stem: string): string {
    switch (this.int(0, 3)) {
      case 0:
        return stem.repeat(this.int(1000, 20_000));
      case 1:
        return `${stem}\u0007\u202e\ud83d\ude00${'\u00e9'.repeat(this.int(1, 500))}`;
      case 2:
        return '\n'.repeat(this.int(1, 100));
      default:
        return `${stem};${'x'.repeat(this.int(0, 50))} compressed ${stem}`;
    }
  }

  private bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.random.next() * 256);
    return out;
  }

  private int(low: number, high: number): number {
    return low + Math.floor(this.random.next() * (high - low + 1));
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random.next() * values.length)] as T;
  }
}
