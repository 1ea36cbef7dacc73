import type { CompressedImage, Header, Image } from '../messages/types.js';

/** The image of a frame as it arrived: raw sensor_msgs/Image or CompressedImage, or why it could not be read. */
export type FramePayload =
  | { readonly kind: 'raw'; readonly image: Image }
  | { readonly kind: 'compressed'; readonly image: CompressedImage }
  | { readonly kind: 'invalid'; readonly error: Error };

/** One camera frame entering the pipeline, from any source (ROS topic, bag, image file). */
export interface CameraFrame {
  /** Topic it came on (for a compressed stream, the `/compressed` topic), or the file path. */
  readonly topic: string;
  /** The frame's header: travels unchanged into every message derived from it. */
  readonly header: Header;
  readonly payload: FramePayload;
  /** Bag log time or receive time, ns since the epoch. */
  readonly logTime: bigint;
  /** Monotonic receive time (process.hrtime.bigint()), for latency measurements. */
  readonly receivedAt: bigint;
  /** The message as serialized on the wire, when the source had it (passed through to output bags). */
  readonly serialized?: Uint8Array;
  /** Position of the frame in its source, from 0. */
  readonly sequence: number;
}

/** Header stamp as nanoseconds. */
export function stampNanoseconds(header: Header): bigint {
  return BigInt(header.stamp.sec) * 1_000_000_000n + BigInt(header.stamp.nanosec);
}

/** Formats a stamp as `sec.nanosec` for messages. */
export function formatStamp(header: Header): string {
  return `${header.stamp.sec}.${String(header.stamp.nanosec).padStart(9, '0')}`;
}
