import { ConfigReader } from '../configReader.js';
import { checkSetting, settingRule } from './checkSetting.js';
import {
  isSetting,
  isTemplate,
  settingDefault,
  type Setting,
  type SettingGroup,
} from './setting.js';
import { camelCase, type SettingValues } from './settingValues.js';

/** Options of {@link readSettings}. */
export interface ReadSettingsOptions<G extends SettingGroup> {
  /**
   * Values to use instead of the declared defaults where the mapping says nothing (a per-model
   * provider group inherits the root's settings key by key). Default: the declared defaults.
   */
  fallback?: Partial<SettingValues<G>>;
  /**
   * Refuse keys the group does not declare. Default true, except for a group with a template
   * (named instances), whose caller knows the names. False when the mapping holds other
   * sections' keys too (`inference:` also holds the provider chain, read by its own parser).
   */
  refuseUnknownKeys?: boolean;
}

/**
 * Parses one mapping of a config document against its declarations: unknown keys refused, every
 * value checked, defaults filled in. Templates are left to the caller.
 *
 * @throws ConfigError (CONFIG_INVALID) naming the key by its path, the rule and the value found.
 */
export function readSettings<G extends SettingGroup>(
  reader: ConfigReader,
  group: G,
  options: ReadSettingsOptions<G> = {},
): SettingValues<G> {
  const entries = Object.entries(group);
  const refuse = options.refuseUnknownKeys ?? !entries.some(([, node]) => isTemplate(node));
  if (refuse) reader.only(Object.keys(group));
  const values: Record<string, unknown> = {};
  const fallback = options.fallback as Readonly<Record<string, unknown>> | undefined;
  for (const [key, node] of entries) {
    if (isTemplate(node)) continue;
    const field = camelCase(key);
    values[field] = isSetting(node)
      ? readSetting(reader, key, node, fallback?.[field])
      : readSettings(reader.child(key), node, {
          fallback: fallback?.[field] as Partial<SettingValues<SettingGroup>> | undefined,
        });
  }
  return values as SettingValues<G>;
}

function readSetting(reader: ConfigReader, key: string, s: Setting, fallback: unknown): unknown {
  const given = reader.raw(key);
  if (given === undefined) {
    if (fallback !== undefined) return fallback;
    if (s.required === true) throw reader.error(key, `must be ${settingRule(s)}`, undefined);
    return settingDefault(s);
  }
  const checked = checkSetting(s, given);
  if (!checked.ok) throw reader.error(key, `must be ${checked.rule}`, given);
  return checked.value;
}

/** The values of a group when a config says nothing: its declared defaults. */
export function defaultSettings<G extends SettingGroup>(group: G): SettingValues<G> {
  return readSettings(new ConfigReader(undefined, 'defaults', ''), group);
}
