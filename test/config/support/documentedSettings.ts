import type { SettingEntry } from '../../../src/config/settings/listSettings.js';
import type { Range } from '../../../src/config/settings/setting.js';

/**
 * Rules shared by the checks of config/params.yaml and the README against the setting
 * declarations: finding a documented key among them, and reading ranges and choices from prose.
 */

/** The declaration of a documented key; a template's placeholder (`<name>`) matches any name. */
export function findSetting(
  entries: readonly SettingEntry[],
  path: readonly string[],
): SettingEntry | undefined {
  return entries.find((e) => segmentsMatch(e.path.split('.'), path, true));
}

/** Whether a documented key is a group of declared settings (`detector`, `cameras.front.qos`). */
export function isGroup(entries: readonly SettingEntry[], path: readonly string[]): boolean {
  return entries.some((e) => segmentsMatch(e.path.split('.').slice(0, path.length), path, false));
}

function segmentsMatch(
  declared: readonly string[],
  documented: readonly string[],
  whole: boolean,
): boolean {
  if (whole && declared.length !== documented.length) return false;
  if (declared.length < documented.length) return false;
  return documented.every((segment, i) => {
    const own = declared[i] ?? '';
    return own === segment || (own.startsWith('<') && /^[a-z][a-z0-9_]*$/.test(segment));
  });
}

const UNITS: Readonly<Record<string, number>> = {
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

/**
 * Whether the text states the range `[min, max]`. Bounds may be written `2^30` or `1 MiB`, and
 * the upper one as another setting's name (`[0, high_score]`: a rule across settings).
 */
export function statesRange(text: string, range: Range): boolean {
  for (const [, low = '', high = ''] of text.matchAll(/\[([^[\],]+),\s*([^[\]]+)\]/g)) {
    if (bound(low) === range[0] && (bound(high) === range[1] || /^[a-z_]+$/.test(high.trim())))
      return true;
  }
  return false;
}

function bound(text: string): number | undefined {
  const t = text.trim();
  const power = /^(\d+)\^(\d+)$/.exec(t);
  if (power) return Number(power[1]) ** Number(power[2]);
  const unit = /^(\d+) (KiB|MiB|GiB|TiB)$/.exec(t);
  if (unit) return Number(unit[1]) * (UNITS[unit[2] ?? ''] ?? NaN);
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
}

/** Whether the text names the choice as a word of its own. */
export function namesChoice(text: string, choice: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])${choice}([^A-Za-z0-9_]|$)`).test(text);
}

/** Whether the text says the setting is dynamic (changeable at run time). */
export function saysDynamic(text: string): boolean {
  return /\bdynamic\b/.test(text);
}

/** Equal as YAML means them: numbers by value (`1.0` is 1), lists item by item. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return a === b;
}
