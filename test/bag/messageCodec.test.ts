import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { cdrWriterHandlesUtf8, ensureUtf8CdrStrings } from '../../src/bag/cdrUtf8Strings.js';
import { MessageCodec } from '../../src/bag/messageCodec.js';
import { MessageError } from '../../src/errors.js';
import { MessageRegistry } from '../../src/messages/messageRegistry.js';
import {
  MessageTypes,
  type Detection2DArray,
  type DiagnosticArray,
  type Image,
} from '../../src/messages/types.js';

const registry = MessageRegistry.withBuiltins();

function codecOf<T>(type: string): MessageCodec<T> {
  return MessageCodec.fromSchema<T>(type, registry.schemaText(type));
}

function detections(): Detection2DArray {
  return {
    header: { stamp: { sec: 1, nanosec: 2 }, frame_id: 'cam' },
    detections: [
      {
        header: { stamp: { sec: 1, nanosec: 2 }, frame_id: 'cam' },
        results: [
          {
            hypothesis: { class_id: '17', score: 0.9 },
            pose: {
              pose: { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
              covariance: new Float64Array(36),
            },
          },
        ],
        bbox: { center: { position: { x: 5, y: 6 }, theta: 0 }, size_x: 1, size_y: 2 },
        id: '',
      },
    ],
  };
}

function image(): Image {
  return {
    header: { stamp: { sec: 1, nanosec: 2 }, frame_id: 'cam' },
    height: 1,
    width: 2,
    encoding: 'mono8',
    is_bigendian: 0,
    step: 2,
    data: new Uint8Array([7, 9]),
  };
}

/** Asserts a MessageError (MESSAGE_INVALID) whose message matches `pattern`. */
function throwsInvalid(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof MessageError, `expected a MessageError, got ${String(error)}`);
    assert.equal(error.code, 'MESSAGE_INVALID');
    assert.match(error.message, pattern);
    return true;
  });
}

/** A deep copy with one property replaced at `path` (dot and [i] segments). */
function withValue(message: unknown, path: string, value: unknown, remove = false): unknown {
  const copy = structuredClone(message) as Record<string, unknown>;
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let target: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    target = target[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] ?? '';
  if (remove) {
    delete target[last];
  } else {
    target[last] = value;
  }
  return copy;
}

describe('MessageCodec', function () {
  describe('non-ASCII strings (the @foxglove/cdr 3.5.0 length bug)', function () {
    it('the installed @foxglove/cdr, unpatched, still truncates them (else drop cdrUtf8Strings.ts)', function () {
      // A fresh copy of the module, untouched by our patch of the shared one.
      const require = createRequire(import.meta.url);
      const entry = require.resolve('@foxglove/cdr');
      const dir = entry.slice(0, entry.lastIndexOf('/'));
      for (const key of Object.keys(require.cache)) {
        if (key.startsWith(dir)) {
          delete require.cache[key];
        }
      }
      const fresh = require('@foxglove/cdr') as typeof import('@foxglove/cdr');
      const writer = new fresh.CdrWriter();
      writer.string('José');
      // Length 5 (4 code units + NUL) instead of 6, and 4 bytes for 'José': 'Jos' and a 0 where
      // 'é' (2 bytes) did not fit, then the NUL.
      assert.deepEqual([...writer.data.subarray(4)], [5, 0, 0, 0, 0x4a, 0x6f, 0x73, 0, 0]);
      for (const key of Object.keys(require.cache)) {
        if (key.startsWith(dir)) {
          delete require.cache[key];
        }
      }
    });

    it('are written as UTF-8 with their byte length, as ROS 2 does', function () {
      const codec = MessageCodec.fromSchema<{ data: string }>(
        'std_msgs/msg/String',
        'string data\n',
      );
      assert.deepEqual(
        [...codec.encode({ data: 'José' })],
        [0, 1, 0, 0, 6, 0, 0, 0, 0x4a, 0x6f, 0x73, 0xc3, 0xa9, 0],
      );
      assert.ok(cdrWriterHandlesUtf8());
      ensureUtf8CdrStrings(); // idempotent
      assert.ok(cdrWriterHandlesUtf8());
    });

    it('round-trip in every string position: fields, arrays, nested messages', function () {
      const names = ['José', 'Zoë', '王', 'a😀b', '', 'ascii'];
      const codec = MessageCodec.fromSchema<{ s: string; list: string[]; fixed: string[] }>(
        'test_msgs/msg/S',
        'string s\nstring[] list\nstring[2] fixed\n',
      );
      for (const name of names) {
        const message = { s: name, list: [name, 'x', name], fixed: [name, name] };
        assert.deepStrictEqual(codec.decode(codec.encode(message)), message);
      }
      const diagnostics = codecOf<DiagnosticArray>(MessageTypes.DiagnosticArray);
      const array: DiagnosticArray = {
        header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '王' },
        status: [
          {
            level: 1,
            name: 'Zoë',
            message: 'José '.repeat(200), // longer than the writer's size estimate
            hardware_id: 'ü',
            values: [{ key: 'ключ', value: '値' }],
          },
        ],
      };
      assert.deepStrictEqual(diagnostics.decode(diagnostics.encode(array)), array);
    });
  });

  it('decodes primitive arrays as typed arrays', function () {
    const codec = codecOf<Detection2DArray>(MessageTypes.Detection2DArray);
    const decoded = codec.decode(codec.encode(detections()));
    assert.ok(decoded.detections[0]?.results[0]?.pose.covariance instanceof Float64Array);
    const images = codecOf<Image>(MessageTypes.Image);
    const pixels = images.decode(images.encode(image())).data;
    assert.ok(pixels instanceof Uint8Array);
    assert.deepEqual([...pixels], [7, 9]);
  });

  describe('validation before encoding', function () {
    // Explicit types: TS needs them to call the assertion method validate().
    const codec: MessageCodec<Detection2DArray> = codecOf(MessageTypes.Detection2DArray);
    const images: MessageCodec<Image> = codecOf(MessageTypes.Image);

    it('accepts a complete message', function () {
      codec.validate(detections());
      images.validate(image());
      images.validate({ ...image(), data: [7, 9] }); // plain arrays are fine too
    });

    it('names the path of a wrong JS type, and the type', function () {
      throwsInvalid(
        () =>
          codec.encode(
            withValue(
              detections(),
              'detections[0].bbox.center.position.x',
              '5',
            ) as Detection2DArray,
          ),
        /^invalid vision_msgs\/msg\/Detection2DArray: field 'detections\[0\]\.bbox\.center\.position\.x' must be a number \(float64\), got string "5"$/,
      );
      throwsInvalid(
        () => codec.encode(withValue(detections(), 'header.stamp.sec', 1.5) as Detection2DArray),
        /field 'header\.stamp\.sec' must be an integer \(int32\), got number 1\.5/,
      );
      throwsInvalid(
        () => codec.encode(withValue(detections(), 'detections[0].id', 7) as Detection2DArray),
        /field 'detections\[0\]\.id' must be a string, got number 7/,
      );
      throwsInvalid(
        () =>
          codec.encode(withValue(detections(), 'detections[0].results', {}) as Detection2DArray),
        /field 'detections\[0\]\.results' must be an array for vision_msgs\/ObjectHypothesisWithPose\[\], got an object/,
      );
    });

    it('names a missing field', function () {
      throwsInvalid(
        () =>
          codec.encode(
            withValue(
              detections(),
              'detections[0].bbox.size_y',
              undefined,
              true,
            ) as Detection2DArray,
          ),
        /field 'detections\[0\]\.bbox\.size_y' \(float64\) is missing/,
      );
      throwsInvalid(
        () => images.encode(withValue(image(), 'header.stamp', undefined, true) as Image),
        /^invalid sensor_msgs\/msg\/Image: field 'header\.stamp' \(time\) is missing$/,
      );
    });

    it('names an unknown (misspelled) field and lists the real ones', function () {
      const message = withValue(detections(), 'detections[0].bbox.centre', {
        position: { x: 1, y: 2 },
        theta: 0,
      });
      throwsInvalid(
        () => codec.encode(message as Detection2DArray),
        /field 'detections\[0\]\.bbox\.centre' is not a field of vision_msgs\/BoundingBox2D \(its fields: center, size_x, size_y\)/,
      );
    });

    it('checks fixed array lengths and element types', function () {
      throwsInvalid(
        () =>
          codec.encode(
            withValue(
              detections(),
              'detections[0].results[0].pose.covariance',
              new Float64Array(35),
            ) as Detection2DArray,
          ),
        /field 'detections\[0\]\.results\[0\]\.pose\.covariance' must have exactly 36 items, got 35/,
      );
      throwsInvalid(
        () =>
          codec.encode(
            withValue(
              detections(),
              'detections[0].results[0].pose.covariance',
              new Float32Array(36),
            ) as Detection2DArray,
          ),
        /must be an array or Float64Array for float64\[36\], got Float32Array/,
      );
      throwsInvalid(
        () => images.encode({ ...image(), data: [1, 256] as unknown as Uint8Array }),
        /field 'data\[1\]' must be in \[0, 255\] \(uint8\), got 256/,
      );
      throwsInvalid(
        () => images.encode({ ...image(), data: new Int8Array(2) as unknown as Uint8Array }),
        /field 'data' must be an array or Uint8Array for uint8\[\], got Int8Array/,
      );
    });

    it('checks integer ranges, bool, 64-bit integers, bounds and NUL', function () {
      throwsInvalid(
        () => images.encode({ ...image(), is_bigendian: 256 }),
        /'is_bigendian' must be in \[0, 255\]/,
      );
      throwsInvalid(
        () => images.encode({ ...image(), height: -1 }),
        /'height' must be in \[0, 4294967295\]/,
      );
      throwsInvalid(
        () => images.encode({ ...image(), encoding: 'mono\u00008' }),
        /'encoding' must not contain NUL/,
      );
      const basic: MessageCodec = MessageCodec.fromSchema(
        'test_msgs/msg/B',
        'bool b\nint64 i\nuint64[] u\nstring<=3 short\nint32[<=2] few\n',
      );
      const ok = { b: true, i: -5n, u: [1n], short: 'abc', few: [1, 2] };
      assert.deepStrictEqual(basic.decode(basic.encode(ok)), {
        ...ok,
        u: new BigUint64Array([1n]),
        few: new Int32Array([1, 2]),
      });
      basic.validate({ ...ok, i: 42 }); // a safe integer stands for an int64
      throwsInvalid(
        () => basic.encode({ ...ok, b: 1 }),
        /'b' must be a boolean \(bool\), got number 1/,
      );
      throwsInvalid(
        () => basic.encode({ ...ok, i: 2n ** 63n }),
        /'i' must be in \[-9223372036854775808, 9223372036854775807\]/,
      );
      throwsInvalid(
        () => basic.encode({ ...ok, u: [1] }),
        /'u\[0\]' must be a bigint \(uint64\), got number 1/,
      );
      throwsInvalid(
        () => basic.encode({ ...ok, short: 'abé' }),
        /'short' must be at most 3 bytes \(string<=3\), got 4/,
      );
      throwsInvalid(
        () => basic.encode({ ...ok, few: [1, 2, 3] }),
        /'few' must have at most 2 items, got 3/,
      );
      throwsInvalid(
        () => basic.encode(null),
        /^invalid test_msgs\/msg\/B: the message must be a test_msgs\/msg\/B object, got null$/,
      );
    });
  });

  it('reports bytes that do not decode, and schemas that do not parse', function () {
    const images = codecOf<Image>(MessageTypes.Image);
    const bytes = images.encode(image());
    throwsInvalid(
      () => images.decode(bytes.subarray(0, 20)),
      /cannot decode 20 bytes as sensor_msgs\/msg\/Image/,
    );
    throwsInvalid(
      () => MessageCodec.fromSchema('a/msg/B', 'Missing field\n'),
      /the schema of a\/msg\/B does not parse as ros2msg/,
    );
  });
});
