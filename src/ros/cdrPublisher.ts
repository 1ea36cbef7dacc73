import type { MessageCodec } from '../bag/messageCodec.js';
import { packageCodec } from './packageCodecs.js';
import { subscriberCount, type RosPublisher } from './rclApi.js';

/**
 * A publisher that serializes its messages itself (CDR, from the message's .msg definition, as
 * rosbag2 stores them) and hands rclnodejs the bytes to publish as they are.
 *
 * Why: rclnodejs 2.2 publishes a plain object by building its generated message class and
 * serializing that, which measured 4.4-4.7 ms of main-thread CPU for a Detection2DArray of ten
 * detections on this project's 2-core VM, against 0.13 ms for the same message encoded here and
 * published raw (`publish(Buffer)` -> rcl_publish_serialized_message). On a node that publishes
 * every frame, that is time the next frame does not get. The bytes are the same CDR that rcl
 * would write (little-endian, with its 4-byte encapsulation header), so subscribers in any
 * language see no difference; `encode()` validates the message against the definition first.
 */
export class CdrPublisher<T> {
  constructor(
    /** The rclnodejs publisher, for destroyPublisher and its subscriber count. */
    readonly publisher: RosPublisher,
    private readonly codec: MessageCodec<T>,
  ) {}

  /** Encodes and publishes one message. @throws MessageError when it does not match its type. */
  publish(message: T): void {
    const bytes = this.codec.encode(message);
    this.publisher.publish(ownBuffer(bytes));
  }

  /** Subscribers on the graph (0 when rclnodejs cannot tell). */
  subscriberCount(): number {
    return subscriberCount(this.publisher);
  }
}

/**
 * The bytes as a Buffer that owns its whole ArrayBuffer from offset 0 (no copy when they
 * already do): rclnodejs 2.2 has been seen to ignore a view's byteOffset (the overlay images),
 * and a pooled Buffer would start inside a larger allocation.
 */
function ownBuffer(bytes: Uint8Array): Buffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
    return Buffer.from(bytes.buffer, 0, bytes.byteLength);
  }
  const copy = Buffer.alloc(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/** Wraps `publisher` (created for `typeName`) in a {@link CdrPublisher} with that type's codec. */
export function cdrPublisher<T>(publisher: RosPublisher, typeName: string): CdrPublisher<T> {
  return new CdrPublisher(publisher, packageCodec<T>(typeName));
}
