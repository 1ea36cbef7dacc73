import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import { defaultRosConfig, inputTopic, parseRosConfig } from '../../src/config/rosConfig.js';

describe('parseRosConfig', () => {
  it('defaults to one camera on /camera/image_raw with sensor-data QoS', () => {
    assert.deepEqual(parseRosConfig(undefined), defaultRosConfig());
    assert.deepEqual(parseRosConfig({ detector: { score_threshold: 0.3 } }).cameras[0]?.qos, {
      reliability: 'best_effort',
      durability: 'volatile',
      depth: 1,
    });
  });

  it('reads several cameras with transport, rate and QoS; compressed subscribes to <topic>/compressed', () => {
    const config = parseRosConfig({
      cameras: {
        names: ['front', 'rear'],
        front: {
          topic: '/front/image_raw',
          transport: 'compressed',
          max_rate_hz: 10,
          qos: { reliability: 'reliable', depth: 5n },
        },
        rear: { topic: '/rear/image' },
      },
    });
    assert.deepEqual(
      config.cameras.map((c) => [
        c.name,
        inputTopic(c),
        c.maxRateHz,
        c.qos.reliability,
        c.qos.depth,
      ]),
      [
        ['front', '/front/image_raw/compressed', 10, 'reliable', 5],
        ['rear', '/rear/image', 0, 'best_effort', 1],
      ],
    );
  });

  it('names the offending key, the rule and the value', () => {
    const cases: [unknown, RegExp][] = [
      [{ cameras: { names: ['front'] } }, /'cameras.front.topic' is required/],
      [
        {
          cameras: { names: ['front'], front: { topic: '/a', qos: { reliability: 'sometimes' } } },
        },
        /'cameras.front.qos.reliability' must be one of 'best_effort', 'reliable', got "sometimes"/,
      ],
      [
        { cameras: { names: ['front'], front: { topic: '/a', fps: 3 } } },
        /unknown key 'cameras.front.fps'/,
      ],
      [
        { cameras: { names: ['a', 'b'], a: { topic: '/x' }, b: { topic: '/x' } } },
        /'cameras.b.topic' subscribes to \/x, as camera 'a' does/,
      ],
      [
        { cameras: { image_topic: 'no spaces allowed' } },
        /'cameras.image_topic' must be a ROS topic name/,
      ],
      [
        {
          cameras: { names: ['a', 'b'], a: { topic: '/x' }, b: { topic: '/y' } },
          outputs: { overlay_topic: 'overlay' },
        },
        /'outputs.overlay_topic' must contain '\{camera\}'/,
      ],
      [
        {
          cameras: { names: ['a', 'b'], a: { topic: '/x' }, b: { topic: '/y' } },
          outputs: { annotations_topic: 'annotations' },
        },
        /'outputs.annotations_topic' must contain '\{camera\}'/,
      ],
      [{ outputs: { annotations: 'yes' } }, /'outputs.annotations' must be true or false/],
      [{ node: { concurrency: 0 } }, /'node.concurrency' must be an integer in \[1, 8\], got 0/],
    ];
    for (const [input, pattern] of cases) {
      assert.throws(
        () => parseRosConfig(input, 'params.yaml'),
        (e: unknown) =>
          e instanceof ConfigError && /^params.yaml: /.test(e.message) && pattern.test(e.message),
      );
    }
  });
});
