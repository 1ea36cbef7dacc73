import type { Setting, StringFormat } from './setting.js';

// A ROS topic name: relative or absolute, tokens of [A-Za-z0-9_], optional leading '~/'.
const TOPIC = /^(~\/|\/)?[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

/** A value a setting accepts (integers that arrived as bigint made numbers), or the rule it breaks. */
export type SettingCheck =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly rule: string };

/**
 * Checks one given value against its declaration. The rule completes "must be ...", so errors
 * read `'detector.score_threshold' must be a number in [0, 1], got 1.5`.
 */
export function checkSetting(s: Setting, given: unknown): SettingCheck {
  // ROS integer parameters arrive as bigint.
  const value = typeof given === 'bigint' ? Number(given) : given;
  return accepts(s, value) ? { ok: true, value } : { ok: false, rule: settingRule(s) };
}

/** What a setting takes, as the words after "must be". */
export function settingRule(s: Setting): string {
  switch (s.kind) {
    case 'bool':
      return 'true or false';
    case 'integer':
      return `an integer in [${s.range[0]}, ${s.range[1]}]`;
    case 'double':
      return `a number in [${s.range[0]}, ${s.range[1]}]`;
    case 'choice':
      return `one of ${quoted(s.choices)}`;
    case 'string':
      return STRING_RULES[s.format];
    case 'string_array':
      return s.choices === undefined ? 'a list of strings' : `a list of ${quoted(s.choices)}`;
    case 'double_array':
      return `${s.length} ${s.positive ? 'positive ' : ''}numbers (${s.unit})`;
  }
}

const STRING_RULES: Readonly<Record<StringFormat, string>> = {
  text: 'a non-empty string',
  path: 'a non-empty string (a file path)',
  topic: 'a ROS topic name (tokens of letters, digits and _, separated by /)',
  topic_template: 'a ROS topic name (tokens of letters, digits and _, separated by /)',
};

function accepts(s: Setting, value: unknown): boolean {
  switch (s.kind) {
    case 'bool':
      return typeof value === 'boolean';
    case 'integer':
      return (
        typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= s.range[0] &&
        value <= s.range[1]
      );
    case 'double':
      return typeof value === 'number' && value >= s.range[0] && value <= s.range[1];
    case 'choice':
      return typeof value === 'string' && s.choices.includes(value);
    case 'string':
      return typeof value === 'string' && stringAccepted(s.format, value);
    case 'string_array':
      return (
        Array.isArray(value) &&
        value.every((v) => typeof v === 'string' && (s.choices?.includes(v) ?? true))
      );
    case 'double_array':
      return (
        Array.isArray(value) &&
        value.length === s.length &&
        value.every((v) => typeof v === 'number' && Number.isFinite(v) && (!s.positive || v > 0))
      );
  }
}

function stringAccepted(format: StringFormat, value: string): boolean {
  switch (format) {
    case 'text':
    case 'path':
      return value !== '';
    case 'topic':
      return TOPIC.test(value);
    case 'topic_template':
      return TOPIC.test(value.replaceAll('{camera}', 'x'));
  }
}

function quoted(choices: readonly string[]): string {
  return choices.map((c) => `'${c}'`).join(', ');
}
