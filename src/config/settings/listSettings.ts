import { isSetting, isTemplate, type Setting, type SettingGroup } from './setting.js';

/** One setting with its dotted path. */
export interface SettingEntry {
  /** E.g. `detector.score_threshold`; inside a template the placeholder: `cameras.<name>.topic`. */
  readonly path: string;
  readonly setting: Setting;
  /** Whether the path runs through a template (one such setting per user-chosen name). */
  readonly templated: boolean;
}

/**
 * Every setting of a group, in declaration order, with its path under `prefix` (e.g.
 * `cameras.front.`), templates included with their placeholder in the path.
 */
export function listSettings(group: SettingGroup, prefix = ''): SettingEntry[] {
  return list(group, prefix, false);
}

function list(group: SettingGroup, prefix: string, templated: boolean): SettingEntry[] {
  return Object.entries(group).flatMap(([key, node]) =>
    isSetting(node)
      ? [{ path: `${prefix}${key}`, setting: node, templated }]
      : isTemplate(node)
        ? list(node.group, `${prefix}${key}.`, true)
        : list(node, `${prefix}${key}.`, templated),
  );
}
