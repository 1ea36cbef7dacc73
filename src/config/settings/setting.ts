/**
 * One declaration per setting: its type, default, range or choices, whether it may change while
 * the node runs, and a description. The config-file parser (readSettings), the TypeScript types
 * (SettingValues), the ROS parameter descriptors (src/ros/parameterSpecs.ts) and the checks of
 * config/params.yaml and the README (test/config/settingsDocs.test.ts) all read these, so a
 * setting is added or changed in one place.
 *
 * A group is a plain object of settings and nested groups, keyed by the names the config file
 * uses (snake_case). Pure data: no ROS, no I/O.
 */

/** Inclusive bounds of a number. */
export type Range = readonly [min: number, max: number];

/** How a string setting is checked. */
export type StringFormat =
  /** Any non-empty string. */
  | 'text'
  /** A non-empty file or folder path. */
  | 'path'
  /** A ROS topic name, relative or absolute. */
  | 'topic'
  /** A ROS topic name in which `{camera}` stands for the camera name. */
  | 'topic_template';

/**
 * A default that depends on the machine or the environment (the number of cores, $HOME),
 * computed each time a config is parsed; `shown` is how the documentation writes it.
 */
export interface ComputedDefault<T> {
  readonly compute: () => T;
  readonly shown: string;
}

interface SettingCommon {
  /** One or two lines: `ros2 param describe` shows it. */
  readonly description: string;
  /** Changeable while the node runs (`ros2 param set`); the others are read at start. Default false. */
  readonly dynamic?: boolean;
  /** No default: a config that names the section must give it. */
  readonly required?: true;
  /** What happens when an optional setting without a default is not given (for the documentation). */
  readonly unset?: string;
  /**
   * Declared as a ROS parameter (default true). False for what only a config file carries; see
   * {@link fileOnly}.
   */
  readonly ros?: false;
}

export interface BoolSetting extends SettingCommon {
  readonly kind: 'bool';
  readonly default?: boolean;
}

export interface IntegerSetting extends SettingCommon {
  readonly kind: 'integer';
  readonly range: Range;
  readonly default?: number | ComputedDefault<number>;
}

export interface DoubleSetting extends SettingCommon {
  readonly kind: 'double';
  readonly range: Range;
  readonly default?: number;
}

export interface ChoiceSetting<C extends string = string> extends SettingCommon {
  readonly kind: 'choice';
  readonly choices: readonly C[];
  readonly default?: C;
}

export interface StringSetting extends SettingCommon {
  readonly kind: 'string';
  readonly format: StringFormat;
  readonly default?: string | ComputedDefault<string>;
}

export interface StringListSetting extends SettingCommon {
  readonly kind: 'string_array';
  /** When set, every item must be one of these. */
  readonly choices?: readonly string[];
  readonly default?: readonly string[];
}

/** A fixed number of numbers (an RGB mean, say); not a ROS parameter. */
export interface NumberListSetting extends SettingCommon {
  readonly kind: 'double_array';
  readonly length: number;
  /** Every number above zero (a divisor). */
  readonly positive: boolean;
  /** Said in errors, e.g. '0..255 scale'. */
  readonly unit: string;
  readonly default?: readonly number[];
}

export type Setting =
  | BoolSetting
  | IntegerSetting
  | DoubleSetting
  | ChoiceSetting
  | StringSetting
  | StringListSetting
  | NumberListSetting;

export type SettingKind = Setting['kind'];

/**
 * A group repeated under names chosen by the user (`cameras.<name>.*`,
 * `inference.models.<model>.*`): declared once, read by the section that knows the names. Its
 * key in the enclosing group is the placeholder the documentation shows (`<name>`).
 */
export interface SettingTemplate<G extends SettingGroup = SettingGroup> {
  readonly kind: 'template';
  readonly group: G;
  /** What an instance's name must match. */
  readonly name: RegExp;
}

export type SettingNode = Setting | SettingTemplate | SettingGroup;

/** Settings and nested groups by their config-file key. */
export type SettingGroup = { readonly [key: string]: SettingNode };

/** Refuses, at compile time, a choice setting whose default is not one of its choices. */
type DefaultIsAChoice<S> = S extends {
  readonly kind: 'choice';
  readonly choices: readonly (infer C)[];
  readonly default: infer D;
}
  ? [D] extends [C]
    ? unknown
    : { readonly default: C }
  : unknown;

/**
 * Declares one setting. The literal types are kept (`const`), so SettingValues derives e.g.
 * `'class_agnostic' | 'per_class'` from the choices.
 */
export function setting<const S extends Setting>(declaration: S & DefaultIsAChoice<S>): S {
  return declaration;
}

/** A default computed when a config is parsed; `shown` is what the documentation says. */
export function computed<T>(shown: string, compute: () => T): ComputedDefault<T> {
  return { shown, compute };
}

/**
 * The group repeated under user-chosen names. A name is a ROS parameter name segment, and
 * lower case: `[a-z][a-z0-9_]*`.
 */
export function each<const G extends SettingGroup>(group: G): SettingTemplate<G> {
  return { kind: 'template', group, name: /^[a-z][a-z0-9_]*$/ };
}

/**
 * The same group, every setting in it marked as config-file only (not a ROS parameter): values a
 * ROS parameter cannot hold with one fixed type (a provider name or a list of them), or sections
 * that only `--config` carries (the crop classifier).
 */
export function fileOnly<const G extends SettingGroup>(group: G): G {
  return Object.fromEntries(
    Object.entries(group).map(([key, node]) => [
      key,
      isSetting(node)
        ? { ...node, ros: false }
        : isTemplate(node)
          ? each(fileOnly(node.group))
          : fileOnly(node),
    ]),
  ) as G;
}

export function isSetting(node: SettingNode): node is Setting {
  return typeof node.kind === 'string' && node.kind !== 'template';
}

export function isTemplate(node: SettingNode): node is SettingTemplate {
  return node.kind === 'template';
}

/** The default of a setting as a value (computed ones computed now); undefined when it has none. */
export function settingDefault(s: Setting): unknown {
  const value = s.default;
  return typeof value === 'object' && value !== null && 'compute' in value
    ? value.compute()
    : value;
}
