import assert from 'node:assert/strict';
import path from 'node:path';

import { loadConfigFile, parseConfig } from '../../src/config/parseConfig.js';
import { defaultTrackingConfig } from '../../src/config/trackingConfig.js';
import { ConfigError } from '../../src/errors.js';
import { staticParameterSpecs } from '../../src/ros/parameterSpecs.js';
import { repoRoot } from '../support/paths.js';

const configError = (pattern: RegExp) => (e: unknown) =>
  e instanceof ConfigError && e.code === 'CONFIG_INVALID' && pattern.test(e.message);

describe('tracking config', () => {
  it('is on by default with the documented values', () => {
    assert.deepEqual(parseConfig(undefined).tracking, {
      enabled: true,
      highScore: 0.5,
      lowScore: 0.3,
      matchIou: 0.3,
      minHits: 2,
      maxAgeS: 1,
      identityWindow: 10,
      identityMinVotes: 3,
      identityMargin: 0.2,
      identityHoldS: 5,
    });
  });

  it('reads tracking.* (ROS integers as bigint included)', () => {
    const config = parseConfig({
      tracking: {
        enabled: false,
        high_score: 0.6,
        low_score: 0.1,
        match_iou: 0.5,
        min_hits: 3n,
        max_age_s: 2.5,
        identity_window: 5n,
        identity_min_votes: 2,
        identity_margin: 0,
        identity_hold_s: 10,
      },
    });
    assert.deepEqual(config.tracking, {
      enabled: false,
      highScore: 0.6,
      lowScore: 0.1,
      matchIou: 0.5,
      minHits: 3,
      maxAgeS: 2.5,
      identityWindow: 5,
      identityMinVotes: 2,
      identityMargin: 0,
      identityHoldS: 10,
    });
  });

  it('the shipped params.yaml states the defaults, and the ROS parameters declare them', () => {
    assert.deepEqual(
      loadConfigFile(path.join(repoRoot, 'config/params.yaml')).tracking,
      defaultTrackingConfig(),
    );
    const specs = new Map(staticParameterSpecs().map((s) => [s.name, s]));
    for (const [name, value] of [
      ['tracking.enabled', true],
      ['tracking.high_score', 0.5],
      ['tracking.low_score', 0.3],
      ['tracking.match_iou', 0.3],
      ['tracking.min_hits', 2],
      ['tracking.max_age_s', 1],
      ['tracking.identity_window', 10],
      ['tracking.identity_min_votes', 3],
      ['tracking.identity_margin', 0.2],
      ['tracking.identity_hold_s', 5],
    ] as const) {
      assert.equal(specs.get(name)?.defaultValue, value, name);
    }
  });

  it('names the key, the allowed range and the value of a bad setting', () => {
    const cases: [unknown, RegExp][] = [
      [{ high_score: 1.5 }, /f.yaml: 'tracking.high_score' must be a number in \[0, 1\], got 1.5/],
      [{ min_hits: 0 }, /'tracking.min_hits' must be an integer in \[1, 100\], got 0/],
      [{ max_age_s: -1 }, /'tracking.max_age_s' must be a number in \[0, 60\], got -1/],
      [{ match_iou: 0 }, /'tracking.match_iou' must be a number in \[0.05, 1\], got 0/],
      [
        { low_score: 0.6 },
        /'tracking.low_score' must not exceed tracking.high_score \(0.5\); lower it or raise high_score, got 0.6/,
      ],
      [
        { identity_window: 4, identity_min_votes: 5 },
        /'tracking.identity_min_votes' must not exceed tracking.identity_window \(4\), got 5/,
      ],
      [
        { identity_hold_s: -1 },
        /'tracking.identity_hold_s' must be a number in \[0, 600\], got -1/,
      ],
      [{ enabled: 'yes' }, /'tracking.enabled' must be true or false, got "yes"/],
      [{ max_age: 1 }, /unknown key 'tracking.max_age'; allowed here: enabled, high_score/],
    ];
    for (const [tracking, pattern] of cases) {
      assert.throws(
        () => parseConfig({ tracking }, 'f.yaml'),
        configError(pattern),
        String(pattern),
      );
    }
  });
});
