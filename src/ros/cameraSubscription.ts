import { Observable } from 'rxjs';
import type { MessageCodec } from '../bag/messageCodec.js';
import { MessageError } from '../errors.js';
import { inputTopic, type CameraConfig } from '../config/rosConfig.js';
import type { CompressedImage, Header, Image } from '../messages/types.js';
import { MessageTypes } from '../messages/types.js';
import type { CameraFrame, FramePayload } from '../sources/cameraFrame.js';
import { packageCodec } from './packageCodecs.js';
import { toRosQos } from './qosProfiles.js';
import type { RclClasses, RosNode } from './rclApi.js';

/**
 * A camera's frames as an Observable: subscribing creates the rcl subscription, unsubscribing
 * destroys it. Each frame keeps the message's header unchanged and is stamped with a monotonic
 * receive time for latency measurements.
 *
 * The subscription is raw: rclnodejs hands over the serialized CDR bytes and this package
 * decodes them with the message's definition, so `data` is a view of those bytes (no copy, no
 * generated-class conversion), and bytes that do not decode become an `invalid` frame with the
 * reason instead of an error inside rclnodejs.
 */
export function cameraFrames(
  node: RosNode,
  rcl: RclClasses,
  camera: CameraConfig,
): Observable<CameraFrame> {
  const topic = inputTopic(camera);
  const type =
    camera.transport === 'compressed' ? MessageTypes.CompressedImage : MessageTypes.Image;
  return new Observable<CameraFrame>((subscriber) => {
    let sequence = 0;
    const codec = packageCodec<unknown>(type);
    const subscription = node.createSubscription(
      type,
      topic,
      { qos: toRosQos(rcl, camera.qos), enableTypedArray: true, isRaw: true },
      (serialized: unknown) => {
        subscriber.next(
          fromSerialized(topic, camera.transport, codec, serialized, sequence++, node),
        );
      },
    );
    return () => node.destroySubscription(subscription);
  });
}

/** A CameraFrame from the serialized bytes of a raw subscription. */
function fromSerialized(
  topic: string,
  transport: CameraConfig['transport'],
  codec: MessageCodec<unknown>,
  serialized: unknown,
  sequence: number,
  node: Pick<RosNode, 'now'>,
): CameraFrame {
  let message: unknown;
  try {
    if (!(serialized instanceof Uint8Array)) {
      throw new MessageError(
        'MESSAGE_INVALID',
        `a raw subscription delivered ${typeof serialized}, not serialized bytes`,
      );
    }
    message = codec.decode(serialized);
  } catch (error) {
    const frame = toCameraFrame(topic, transport, {}, sequence, node);
    return { ...frame, payload: { kind: 'invalid', error: error as Error } };
  }
  return toCameraFrame(topic, transport, message, sequence, node);
}

/** Builds a CameraFrame from a message object; a malformed one becomes an `invalid` payload. */
export function toCameraFrame(
  topic: string,
  transport: CameraConfig['transport'],
  message: unknown,
  sequence: number,
  node: Pick<RosNode, 'now'>,
): CameraFrame {
  const receivedAt = process.hrtime.bigint();
  let logTime: bigint;
  try {
    logTime = node.now().nanoseconds;
  } catch {
    logTime = BigInt(Date.now()) * 1_000_000n;
  }
  const m = (typeof message === 'object' && message !== null ? message : {}) as Record<
    string,
    unknown
  >;
  const header = readHeader(m.header);
  let payload: FramePayload;
  if (header === undefined) {
    payload = {
      kind: 'invalid',
      error: new Error('the message has no valid header (stamp.sec, stamp.nanosec, frame_id)'),
    };
  } else if (transport === 'compressed') {
    const image: CompressedImage = {
      header,
      format: typeof m.format === 'string' ? m.format : '',
      data: m.data as Uint8Array,
    };
    payload = { kind: 'compressed', image };
  } else {
    const image: Image = {
      header,
      height: m.height as number,
      width: m.width as number,
      encoding: m.encoding as string,
      is_bigendian: m.is_bigendian as number,
      step: m.step as number,
      data: m.data as Uint8Array,
    };
    payload = { kind: 'raw', image };
  }
  return {
    topic,
    header: header ?? { stamp: { sec: 0, nanosec: 0 }, frame_id: '' },
    payload,
    logTime,
    receivedAt,
    sequence,
  };
}

/** A plain copy of the header (rclnodejs may hand out message class instances). */
function readHeader(value: unknown): Header | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const h = value as { stamp?: { sec?: unknown; nanosec?: unknown }; frame_id?: unknown };
  const sec = h.stamp?.sec;
  const nanosec = h.stamp?.nanosec;
  if (typeof sec !== 'number' || typeof nanosec !== 'number' || typeof h.frame_id !== 'string')
    return undefined;
  return { stamp: { sec, nanosec }, frame_id: h.frame_id };
}
