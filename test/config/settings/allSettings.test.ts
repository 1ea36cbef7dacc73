import assert from 'node:assert/strict';
import { defaultConfig, parseConfig } from '../../../src/config/parseConfig.js';
import { defaultRosConfig, parseRosConfig } from '../../../src/config/rosConfig.js';
import { ALL_SETTINGS } from '../../../src/config/settings/allSettings.js';
import { checkSetting } from '../../../src/config/settings/checkSetting.js';
import { listSettings } from '../../../src/config/settings/listSettings.js';
import { settingDefault } from '../../../src/config/settings/setting.js';

describe('ALL_SETTINGS (every setting, declared once)', () => {
  const entries = listSettings(ALL_SETTINGS);

  it('every declared default obeys its own rule', () => {
    for (const { path, setting } of entries) {
      const value = settingDefault(setting);
      if (value === undefined) {
        assert.ok(
          setting.required === true || setting.unset !== undefined,
          `${path}: no default, so it must be required or say what happens when unset`,
        );
        continue;
      }
      const checked = checkSetting(setting, value);
      assert.ok(
        checked.ok,
        `${path}: default ${JSON.stringify(value)} is not ${checked.ok ? '' : checked.rule}`,
      );
    }
  });

  it('a document that writes out every default parses to the default config', () => {
    const document: Record<string, unknown> = {};
    for (const { path, setting, templated } of entries) {
      const value = settingDefault(setting);
      if (templated || value === undefined || path.startsWith('classifier.')) continue;
      setPath(document, path.split('.'), value);
    }
    assert.deepEqual(parseConfig(document, 'defaults'), defaultConfig());
    assert.deepEqual(parseRosConfig(document, 'defaults'), defaultRosConfig());
  });

  it('has a description for every setting, and keys as the config files spell them', () => {
    for (const { path, setting } of entries) {
      assert.ok(setting.description.length > 0, path);
      assert.match(path, /^([a-z][a-z0-9_]*|<[a-z]+>)(\.([a-z][a-z0-9_]*|<[a-z]+>))*$/, path);
    }
  });
});

function setPath(doc: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    doc[head] = value;
    return;
  }
  const next = (doc[head] ??= {}) as Record<string, unknown>;
  setPath(next, rest, value);
}
