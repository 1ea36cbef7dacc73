import assert from 'node:assert/strict';
import { ConfigReader } from '../../../src/config/configReader.js';
import { readSettings } from '../../../src/config/settings/readSettings.js';
import { computed, each, setting } from '../../../src/config/settings/setting.js';
import { ConfigError } from '../../../src/errors.js';

const GROUP = {
  score_threshold: setting({ kind: 'double', range: [0, 1], default: 0.5, description: 'd' }),
  max_hits: setting({ kind: 'integer', range: [1, 100], default: 2, description: 'd' }),
  mode: setting({ kind: 'choice', choices: ['a', 'b'], default: 'a', description: 'd' }),
  layout: setting({ kind: 'choice', choices: ['NCHW', 'NHWC'], description: 'd' }),
  cores: setting({
    kind: 'integer',
    range: [1, 64],
    default: computed('number of cores', () => 7),
    description: 'd',
  }),
  qos: { depth: setting({ kind: 'integer', range: [1, 1000], default: 1, description: 'd' }) },
} as const;

const read = (value: unknown): unknown =>
  readSettings(new ConfigReader(value, 'f.yaml', 'x.'), GROUP);

const configError = (pattern: RegExp) => (e: unknown) =>
  e instanceof ConfigError && e.code === 'CONFIG_INVALID' && pattern.test(e.message);

describe('readSettings', () => {
  it('fills the declared defaults (computed ones computed), camelCase fields, groups nested', () => {
    assert.deepEqual(read(undefined), {
      scoreThreshold: 0.5,
      maxHits: 2,
      mode: 'a',
      layout: undefined,
      cores: 7,
      qos: { depth: 1 },
    });
  });

  it('takes given values, integers that arrive as bigint (ROS) as numbers', () => {
    assert.deepEqual(
      read({ score_threshold: 1, max_hits: 5n, layout: 'NHWC', qos: { depth: 3 } }),
      {
        scoreThreshold: 1,
        maxHits: 5,
        mode: 'a',
        layout: 'NHWC',
        cores: 7,
        qos: { depth: 3 },
      },
    );
  });

  it('refuses a bad value naming the key path, the rule and the value found', () => {
    const cases: [unknown, RegExp][] = [
      [
        { score_threshold: 1.5 },
        /^f\.yaml: 'x\.score_threshold' must be a number in \[0, 1\], got 1\.5$/,
      ],
      [{ max_hits: 2.5 }, /'x\.max_hits' must be an integer in \[1, 100\], got 2\.5/],
      [{ max_hits: 101n }, /'x\.max_hits' must be an integer in \[1, 100\], got 101$/],
      [{ mode: 'c' }, /'x\.mode' must be one of 'a', 'b', got "c"/],
      [{ qos: { depth: 0 } }, /'x\.qos\.depth' must be an integer in \[1, 1000\], got 0/],
      [{ qos: 3 }, /'x\.qos' must be a mapping, got 3/],
      [
        { scor_threshold: 1 },
        /unknown key 'x\.scor_threshold'; allowed here: score_threshold, max_hits/,
      ],
    ];
    for (const [value, pattern] of cases) assert.throws(() => read(value), configError(pattern));
  });

  it('falls back to given values before the declared defaults (inheritance)', () => {
    const values = readSettings(new ConfigReader({ mode: 'b' }, 'f', ''), GROUP, {
      fallback: { maxHits: 9, mode: 'a', qos: { depth: 4 } },
    });
    assert.deepEqual([values.maxHits, values.mode, values.qos.depth, values.cores], [9, 'b', 4, 7]);
  });

  it('leaves unknown keys to the caller when asked, and in groups with a template', () => {
    const mixed = new ConfigReader({ mode: 'b', other: 1 }, 'f', '');
    assert.equal(readSettings(mixed, GROUP, { refuseUnknownKeys: false }).mode, 'b');
    const withTemplate = { mode: GROUP.mode, '<name>': each({ rate: GROUP.score_threshold }) };
    assert.deepEqual(readSettings(new ConfigReader({ front: {} }, 'f', ''), withTemplate), {
      mode: 'a',
    });
  });

  it('refuses a missing required setting with its rule', () => {
    const required = {
      model: setting({ kind: 'string', format: 'path', required: true, description: 'd' }),
    };
    assert.throws(
      () => readSettings(new ConfigReader({}, 'f', 'classifier.'), required),
      configError(/'classifier\.model' must be a non-empty string \(a file path\), got nothing/),
    );
  });

  it('the compiler refuses a default that is not one of the choices', () => {
    // @ts-expect-error 'c' is not one of the choices
    setting({ kind: 'choice', choices: ['a', 'b'], default: 'c', description: 'd' });
  });
});
