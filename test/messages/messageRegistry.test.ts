import assert from 'node:assert/strict';

import { parse } from '@foxglove/rosmsg';

import { MessageError } from '../../src/errors.js';
import { builtinDefinitions } from '../../src/messages/definitions.js';
import { fullTypeName, MessageRegistry } from '../../src/messages/messageRegistry.js';
import { MessageTypes } from '../../src/messages/types.js';

const SEPARATOR = '='.repeat(80);

function assertMessageError(fn: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof MessageError, `expected a MessageError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('MessageRegistry', function () {
  const registry = MessageRegistry.withBuiltins();

  it('holds the built-in definitions and every type the package publishes', function () {
    assert.deepEqual(registry.typeNames(), Object.keys(builtinDefinitions).sort());
    for (const type of Object.values(MessageTypes)) {
      assert.ok(registry.has(type), type);
    }
    assert.ok(registry.has('sensor_msgs/Image'));
    assert.ok(!registry.has('std_msgs/msg/String'));
    assert.ok(!registry.has('not a type'));
  });

  it('builds the ros2msg schema text: the .msg, then each dependency once with a MSG: line', function () {
    const schema = registry.schemaText('vision_msgs/msg/Detection2DArray');
    const sections = schema.split(`\n${SEPARATOR}\n`);
    assert.equal(sections[0], builtinDefinitions['vision_msgs/msg/Detection2DArray']);
    const names = sections.slice(1).map((s) => /^MSG: (\S+)\n/.exec(s)?.[1]);
    assert.deepEqual(names, [
      'std_msgs/Header',
      'builtin_interfaces/Time',
      'vision_msgs/Detection2D',
      'vision_msgs/ObjectHypothesisWithPose',
      'vision_msgs/ObjectHypothesis',
      'geometry_msgs/PoseWithCovariance',
      'geometry_msgs/Pose',
      'geometry_msgs/Point',
      'geometry_msgs/Quaternion',
      'vision_msgs/BoundingBox2D',
      'vision_msgs/Pose2D',
      'vision_msgs/Point2D',
    ]);
    assert.equal(
      sections[1],
      `MSG: std_msgs/Header\n${builtinDefinitions['std_msgs/msg/Header'] ?? ''}`,
    );
  });

  it('gives schemas that @foxglove/rosmsg parses and resolves, for every type', function () {
    for (const type of registry.typeNames()) {
      const definitions = parse(registry.schemaText(type), { ros2: true });
      assert.ok(definitions.length >= 1, type);
    }
    const image = parse(registry.schemaText('sensor_msgs/Image'), { ros2: true });
    assert.deepEqual(
      image[0]?.definitions.map((f) => `${f.type}${f.isArray === true ? '[]' : ''} ${f.name}`),
      [
        'std_msgs/Header header',
        'uint32 height',
        'uint32 width',
        'string encoding',
        'uint8 is_bigendian',
        'uint32 step',
        'uint8[] data',
      ],
    );
  });

  it('names an unknown type, and a dependency that is missing', function () {
    assertMessageError(
      () => registry.schemaText('mobilenet_ros/msg/Face'),
      'MESSAGE_UNKNOWN_TYPE',
      /no definition of mobilenet_ros\/msg\/Face is registered/,
    );
    const faces = MessageRegistry.withBuiltins();
    faces.register('mobilenet_ros/msg/FaceArray', 'std_msgs/Header header\nFace[] faces\n');
    assertMessageError(
      () => faces.schemaText('mobilenet_ros/msg/FaceArray'),
      'MESSAGE_UNKNOWN_TYPE',
      /mobilenet_ros\/msg\/FaceArray uses mobilenet_ros\/msg\/Face, which is not registered/,
    );
    // Registered later, in any order: the schema resolves then.
    faces.register(
      'mobilenet_ros/Face',
      'vision_msgs/BoundingBox2D bbox\nfloat32[] embedding\nstring identity\n',
    );
    const schema = faces.schemaText('mobilenet_ros/msg/FaceArray');
    assert.match(schema, /\nMSG: mobilenet_ros\/Face\n/);
    assert.match(schema, /\nMSG: vision_msgs\/Point2D\n/);
    assert.ok(parse(schema, { ros2: true }).some((d) => d.name === 'mobilenet_ros/Face'));
  });

  it('refuses text that does not parse, and a second different definition of a type', function () {
    const fresh = new MessageRegistry();
    assertMessageError(
      () => fresh.register('a/msg/B', 'int32 x y z w\n'),
      'MESSAGE_INVALID',
      /the definition of a\/msg\/B does not parse/,
    );
    fresh.register('a/msg/B', 'int32 x\n');
    fresh.register('a/msg/B', 'int32 x\n');
    assertMessageError(
      () => fresh.register('a/B', 'int32 y\n'),
      'MESSAGE_INVALID',
      /a\/msg\/B is already registered with a different definition/,
    );
  });

  it('normalises type names and rejects malformed ones', function () {
    assert.equal(fullTypeName('sensor_msgs/Image'), 'sensor_msgs/msg/Image');
    assert.equal(fullTypeName('sensor_msgs/msg/Image'), 'sensor_msgs/msg/Image');
    assert.throws(() => fullTypeName('Image'), TypeError);
    assert.throws(() => fullTypeName('sensor_msgs/srv/Image'), TypeError);
  });
});
