import assert from 'node:assert/strict';
import {
  nodeKeyMatches,
  resolveParameterOverrides,
  type OverrideEntry,
} from '../../src/ros/parameterOverrides.js';
import { toEntries } from '../../src/ros/nativeParameterOverrides.js';

/** A string parameter of an entry. */
function entry(node: string, values: Record<string, string>): OverrideEntry {
  return {
    node,
    parameters: Object.entries(values).map(([name, value]) => ({
      name,
      value: { type: 'string', value },
    })),
  };
}

function plain(resolved: ReturnType<typeof resolveParameterOverrides>): Record<string, unknown> {
  const pairs: [string, unknown][] = [...resolved].map(([name, o]) => [name, o.value]);
  return Object.fromEntries(pairs);
}

describe('resolveParameterOverrides (the rules of rclcpp 16 / rclpy 3.3 on Humble)', () => {
  it('matches keys as rclcpp does: /**, /*, /**/name, a bare name, the full name', () => {
    const cases: [string, string, boolean][] = [
      ['/**', '/mobilenet_ros', true],
      ['/**', '/robot1/arm/mobilenet_ros', true],
      ['/*', '/mobilenet_ros', true],
      ['/*', '/robot1/mobilenet_ros', false],
      ['/**/mobilenet_ros', '/mobilenet_ros', true],
      ['/**/mobilenet_ros', '/robot1/mobilenet_ros', true],
      ['/**/mobilenet_ros', '/robot1/other', false],
      ['/robot1/*', '/robot1/mobilenet_ros', true],
      ['/robot1/*', '/robot2/mobilenet_ros', false],
      ['mobilenet_ros', '/mobilenet_ros', true],
      // A bare name gets a leading slash, so it names the node in the root namespace only.
      ['mobilenet_ros', '/robot1/mobilenet_ros', false],
      ['/mobilenet_ros', '/mobilenet_ros', true],
      ['/robot1/mobilenet_ros', '/robot1/mobilenet_ros', true],
      ['/robot1/mobilenet_ros', '/mobilenet_ros', false],
      ['/mobilenet', '/mobilenet_ros', false],
      ['/mobilenet.ros', '/mobilenetXros', false],
    ];
    for (const [key, fqn, expected] of cases) {
      assert.equal(nodeKeyMatches(key, fqn), expected, `${key} vs ${fqn}`);
    }
  });

  // The two files of the measurement against rclcpp and rclpy (test/integration repeats it on
  // the real graph): a.yaml then b.yaml, as rcl stores them (one entry per key, in the order
  // the keys first appeared; a key seen again adds to its first entry).
  const aThenB: OverrideEntry[] = [
    entry('/mobilenet_ros', { x: 'fqn_a', y: 'fqn_a' }),
    entry('/**', { x: 'wild_a', z: 'wild_a', y: 'wild_b', w: 'wild_b' }),
    entry('/*', { w: 'star_b' }),
    entry('/**/mobilenet_ros', { v: 'starname_b' }),
    entry('mobilenet_ros', { u: 'bare_b' }),
  ];

  it('applies the matching entries in rcl order, the later winning (as rclcpp measured)', () => {
    assert.deepEqual(plain(resolveParameterOverrides(aThenB, '/mobilenet_ros')), {
      u: 'bare_b',
      v: 'starname_b',
      w: 'star_b',
      x: 'wild_a',
      y: 'wild_b',
      z: 'wild_a',
    });
  });

  it('after a namespace remap, only the keys that name the remapped node apply', () => {
    assert.deepEqual(plain(resolveParameterOverrides(aThenB, '/robot1/mobilenet_ros')), {
      v: 'starname_b',
      w: 'wild_b',
      x: 'wild_a',
      y: 'wild_b',
      z: 'wild_a',
    });
  });

  it('a full-name entry that comes after the wildcard beats it (launch_ros writes it last)', () => {
    const launch: OverrideEntry[] = [
      entry('/**', { 'cameras.image_topic': '/from/params_file' }),
      entry('/robot1/mobilenet_ros', { 'cameras.image_topic': '/from/launch' }),
    ];
    const resolved = resolveParameterOverrides(launch, '/robot1/mobilenet_ros');
    assert.equal(resolved.get('cameras.image_topic')?.value, '/from/launch');
    assert.equal(resolved.get('cameras.image_topic')?.from, '/robot1/mobilenet_ros');
    assert.equal(
      resolveParameterOverrides(launch, '/mobilenet_ros').get('cameras.image_topic')?.value,
      '/from/params_file',
    );
  });

  it('keeps types apart and refuses a relative node name', () => {
    const resolved = resolveParameterOverrides(
      [
        {
          node: '/**',
          parameters: [
            { name: 'i', value: { type: 'integer', value: 3 } },
            { name: 'd', value: { type: 'double', value: 3 } },
          ],
        },
      ],
      '/n',
    );
    assert.equal(resolved.get('i')?.type, 'integer');
    assert.equal(resolved.get('d')?.type, 'double');
    assert.throws(() => resolveParameterOverrides([], 'n'), RangeError);
  });
});

describe("toEntries (rclnodejs binding's getParameterOverrides answer)", () => {
  it('reads the binding shape and names the type of each value', () => {
    assert.deepEqual(
      toEntries([{ name: '/**', parameters: [{ name: 'a', type: 3, value: 0.5 }] }]),
      [{ node: '/**', parameters: [{ name: 'a', value: { type: 'double', value: 0.5 } }] }],
    );
    assert.deepEqual(toEntries(undefined), []);
  });

  it('refuses an unknown shape instead of dropping values', () => {
    assert.throws(() => toEntries({}), /unknown shape/);
    assert.throws(
      () => toEntries([{ name: '/**', parameters: [{ name: 'a', type: 42 }] }]),
      /unknown shape/,
    );
  });
});
