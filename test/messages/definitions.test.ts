/**
 * Our copies of the .msg definitions against the upstream Humble files in shared/ros/msgs,
 * field by field: name, type, array kind and length, bounds, constants and defaults.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from '@foxglove/rosmsg';

import { builtinDefinitions } from '../../src/messages/definitions.js';
import { sharedDir } from '../support/paths.js';

const upstreamDir = path.join(sharedDir, 'ros/msgs');

type Field = ReturnType<typeof parse>[number]['definitions'][number];

/** The comparable parts of a field, with relative type names qualified by `ownPackage`. */
function comparable(field: Field, ownPackage: string): Record<string, unknown> {
  const type =
    field.isComplex === true && !field.type.includes('/')
      ? `${ownPackage}/${field.type}`
      : field.type;
  return {
    name: field.name,
    type,
    isComplex: field.isComplex ?? false,
    isArray: field.isArray ?? false,
    arrayLength: field.arrayLength,
    arrayUpperBound: field.arrayUpperBound,
    upperBound: field.upperBound,
    isConstant: field.isConstant ?? false,
    value: field.value,
    defaultValue: field.defaultValue,
  };
}

function fields(text: string, ownPackage: string): Record<string, unknown>[] {
  // skipTypeFixup: each file is parsed alone, so its nested types cannot be resolved here.
  const [root] = parse(text, { ros2: true, skipTypeFixup: true });
  assert.ok(root);
  return root.definitions.map((f) => comparable(f, ownPackage));
}

/** The type token of each field line as written: the parser maps byte/char to uint8. */
function typeTokens(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
    .map((line) => line.split(/\s+/)[0] ?? '');
}

function upstreamFile(typeName: string): string {
  const [pkg, , name] = typeName.split('/');
  return path.join(upstreamDir, pkg ?? '', 'msg', `${name ?? ''}.msg`);
}

describe('message definitions', function () {
  const types = Object.keys(builtinDefinitions).sort();
  const withUpstream = types.filter((t) => existsSync(upstreamFile(t)));

  it('has an upstream file for every type but LabelInfo, VisionClass and foxglove_msgs', function () {
    assert.deepEqual(
      types.filter((t) => !withUpstream.includes(t) && !t.startsWith('foxglove_msgs/')),
      ['vision_msgs/msg/LabelInfo', 'vision_msgs/msg/VisionClass'],
    );
    assert.equal(withUpstream.length, 19);
  });

  for (const type of withUpstream) {
    it(`${type} matches upstream field for field`, function () {
      const ownPackage = type.split('/')[0] ?? '';
      const ours = builtinDefinitions[type] ?? '';
      const theirs = readFileSync(upstreamFile(type), 'utf8');
      assert.deepStrictEqual(fields(ours, ownPackage), fields(theirs, ownPackage));
      const qualify = (token: string): string =>
        /^[A-Z]/.test(token) ? `${ownPackage}/${token}` : token;
      assert.deepEqual(typeTokens(ours).map(qualify), typeTokens(theirs).map(qualify));
    });
  }

  it('LabelInfo and VisionClass have the vision_msgs 4.x layout', function () {
    assert.deepStrictEqual(
      fields(builtinDefinitions['vision_msgs/msg/LabelInfo'] ?? '', 'vision_msgs'),
      [
        comparable(
          { name: 'header', type: 'std_msgs/Header', isComplex: true, isArray: false },
          'vision_msgs',
        ),
        comparable(
          { name: 'class_map', type: 'VisionClass', isComplex: true, isArray: true },
          'vision_msgs',
        ),
        comparable(
          { name: 'threshold', type: 'float32', isComplex: false, isArray: false },
          'vision_msgs',
        ),
      ],
    );
    assert.deepStrictEqual(
      fields(builtinDefinitions['vision_msgs/msg/VisionClass'] ?? '', 'vision_msgs'),
      [
        comparable(
          { name: 'class_id', type: 'uint16', isComplex: false, isArray: false },
          'vision_msgs',
        ),
        comparable(
          { name: 'class_name', type: 'string', isComplex: false, isArray: false },
          'vision_msgs',
        ),
      ],
    );
  });

  it('foxglove_msgs types have the layout of foxglove/schemas ros_foxglove_msgs/ros2 (3.x), in field order', function () {
    // (type, name) per field as in the upstream .msg files (the parser reads
    // builtin_interfaces/Time as 'time'); the order is the CDR layout.
    const expected: Record<string, [string, string][]> = {
      Point2: [
        ['float64', 'x'],
        ['float64', 'y'],
      ],
      Color: [
        ['float64', 'r'],
        ['float64', 'g'],
        ['float64', 'b'],
        ['float64', 'a'],
      ],
      CircleAnnotation: [
        ['time', 'timestamp'],
        ['foxglove_msgs/Point2', 'position'],
        ['float64', 'diameter'],
        ['float64', 'thickness'],
        ['foxglove_msgs/Color', 'fill_color'],
        ['foxglove_msgs/Color', 'outline_color'],
      ],
      PointsAnnotation: [
        ['time', 'timestamp'],
        ['uint8', 'type'],
        ['foxglove_msgs/Point2[]', 'points'],
        ['foxglove_msgs/Color', 'outline_color'],
        ['foxglove_msgs/Color[]', 'outline_colors'],
        ['foxglove_msgs/Color', 'fill_color'],
        ['float64', 'thickness'],
      ],
      TextAnnotation: [
        ['time', 'timestamp'],
        ['foxglove_msgs/Point2', 'position'],
        ['string', 'text'],
        ['float64', 'font_size'],
        ['foxglove_msgs/Color', 'text_color'],
        ['foxglove_msgs/Color', 'background_color'],
      ],
      ImageAnnotations: [
        ['foxglove_msgs/CircleAnnotation[]', 'circles'],
        ['foxglove_msgs/PointsAnnotation[]', 'points'],
        ['foxglove_msgs/TextAnnotation[]', 'texts'],
      ],
    };
    for (const [name, fieldList] of Object.entries(expected)) {
      const text = builtinDefinitions[`foxglove_msgs/msg/${name}`];
      assert.ok(text !== undefined, name);
      const [root] = parse(text, { ros2: true, skipTypeFixup: true });
      const variables = (root?.definitions ?? []).filter((f) => f.isConstant !== true);
      assert.deepEqual(
        variables.map((f) => [`${f.type}${f.isArray === true ? '[]' : ''}`, f.name]),
        fieldList,
        name,
      );
    }
    const [points] = parse(builtinDefinitions['foxglove_msgs/msg/PointsAnnotation'] ?? '', {
      ros2: true,
      skipTypeFixup: true,
    });
    assert.deepEqual(
      points?.definitions
        .filter((f) => f.isConstant === true)
        .map((f) => [f.type, f.name, f.value]),
      [
        ['uint8', 'UNKNOWN', 0],
        ['uint8', 'POINTS', 1],
        ['uint8', 'LINE_LOOP', 2],
        ['uint8', 'LINE_STRIP', 3],
        ['uint8', 'LINE_LIST', 4],
      ],
    );
  });
});
