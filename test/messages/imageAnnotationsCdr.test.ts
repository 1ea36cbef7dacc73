/**
 * foxglove_msgs/ImageAnnotations through our CDR codec: a round trip, and the bytes against a
 * layout written out here by hand (field order and XCDR1 alignment), so that a field out of
 * place in definitions.ts cannot pass by agreeing with itself.
 */
import assert from 'node:assert/strict';

import { MessageCodec } from '../../src/bag/messageCodec.js';
import { MessageRegistry } from '../../src/messages/messageRegistry.js';
import {
  MessageTypes,
  PointsAnnotationType,
  type ImageAnnotations,
} from '../../src/messages/types.js';

/** Little-endian plain CDR, aligned relative to the end of the 4-byte encapsulation header. */
class CdrBytes {
  private readonly bytes: number[] = [0x00, 0x01, 0x00, 0x00];

  private align(n: number): void {
    while ((this.bytes.length - 4) % n !== 0) this.bytes.push(0);
  }
  private push(size: number, write: (view: DataView) => void): this {
    this.align(size);
    const view = new DataView(new ArrayBuffer(size));
    write(view);
    this.bytes.push(...new Uint8Array(view.buffer));
    return this;
  }
  u8(v: number): this {
    return this.push(1, (d) => d.setUint8(0, v));
  }
  i32(v: number): this {
    return this.push(4, (d) => d.setInt32(0, v, true));
  }
  u32(v: number): this {
    return this.push(4, (d) => d.setUint32(0, v, true));
  }
  f64(...values: number[]): this {
    for (const v of values) this.push(8, (d) => d.setFloat64(0, v, true));
    return this;
  }
  string(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    this.u32(utf8.length + 1);
    this.bytes.push(...utf8, 0);
    return this;
  }
  done(): Uint8Array {
    return new Uint8Array(this.bytes);
  }
}

const stamp = { sec: 7, nanosec: 9 };

function sample(): ImageAnnotations {
  return {
    circles: [],
    points: [
      {
        timestamp: stamp,
        type: PointsAnnotationType.lineLoop,
        points: [{ x: 1.5, y: 2.5 }],
        outline_color: { r: 0.1, g: 0.2, b: 0.3, a: 1 },
        outline_colors: [],
        fill_color: { r: 0, g: 0, b: 0, a: 0 },
        thickness: 2,
      },
    ],
    texts: [
      {
        timestamp: stamp,
        position: { x: 3, y: 4 },
        text: 'cup 0.91 #3',
        font_size: 12,
        text_color: { r: 1, g: 1, b: 1, a: 1 },
        background_color: { r: 0, g: 0, b: 0, a: 0.5 },
      },
    ],
  };
}

describe('foxglove_msgs/ImageAnnotations CDR', function () {
  const registry = MessageRegistry.withBuiltins();
  const codec = MessageCodec.fromSchema<ImageAnnotations>(
    MessageTypes.ImageAnnotations,
    registry.schemaText(MessageTypes.ImageAnnotations),
  );

  it('encodes field by field in the upstream order with CDR alignment', function () {
    const expected = new CdrBytes()
      .u32(0) // circles
      .u32(1) // points
      .i32(7)
      .u32(9) // timestamp
      .u8(2) // type LINE_LOOP
      .u32(1) // points[]
      .f64(1.5, 2.5)
      .f64(0.1, 0.2, 0.3, 1) // outline_color
      .u32(0) // outline_colors[]
      .f64(0, 0, 0, 0) // fill_color
      .f64(2) // thickness
      .u32(1) // texts
      .i32(7)
      .u32(9)
      .f64(3, 4)
      .string('cup 0.91 #3')
      .f64(12)
      .f64(1, 1, 1, 1)
      .f64(0, 0, 0, 0.5)
      .done();
    assert.deepEqual(codec.encode(sample()), expected);
  });

  it('decodes what it encodes', function () {
    const message = sample();
    assert.deepEqual(codec.decode(codec.encode(message)), message);
  });

  it('names the schema with its dependencies as rosbag2 writes it', function () {
    const schema = registry.schemaText(MessageTypes.ImageAnnotations);
    const names = [...schema.matchAll(/^MSG: (.*)$/gm)].map((m) => m[1]);
    assert.deepEqual(names, [
      'foxglove_msgs/CircleAnnotation',
      'builtin_interfaces/Time',
      'foxglove_msgs/Point2',
      'foxglove_msgs/Color',
      'foxglove_msgs/PointsAnnotation',
      'foxglove_msgs/TextAnnotation',
    ]);
  });
});
