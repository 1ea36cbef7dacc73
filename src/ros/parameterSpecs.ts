import { CAMERAS_SETTINGS } from '../config/cameraConfig.js';
import { ALL_SETTINGS } from '../config/settings/allSettings.js';
import { listSettings, type SettingEntry } from '../config/settings/listSettings.js';
import { settingDefault, type Setting } from '../config/settings/setting.js';

/** Value kinds of the parameters this node declares. */
export type ParameterKind = 'bool' | 'integer' | 'double' | 'string' | 'string_array';

/** One declared parameter: its ROS name (dotted), type, default, range and whether it may change at run time. */
export interface ParameterSpec {
  readonly name: string;
  readonly kind: ParameterKind;
  readonly defaultValue: boolean | number | string | readonly string[];
  readonly description: string;
  /** Inclusive bounds of a number, shown by `ros2 param describe` and enforced by rclnodejs. */
  readonly range?: readonly [number, number];
  /** Allowed strings (listed in the descriptor's additional constraints; checked by the config parser). */
  readonly choices?: readonly string[];
  /** Changeable while running (thresholds, stages, rates). Others are read-only after start. */
  readonly dynamic: boolean;
}

/**
 * Parameters that exist whatever the camera list is: every declared setting (src/config/settings)
 * outside the per-name templates, except the config-file-only ones.
 */
export function staticParameterSpecs(): ParameterSpec[] {
  return listSettings(ALL_SETTINGS)
    .filter((entry) => !entry.templated && entry.setting.ros !== false)
    .map(parameterSpec);
}

/** Parameters of one camera, `cameras.<name>.*`: the camera template under its name. */
export function cameraParameterSpecs(name: string): ParameterSpec[] {
  return listSettings(CAMERAS_SETTINGS['<name>'].group, `cameras.${name}.`).map(parameterSpec);
}

/** Whether `name` may name a camera (only those get `cameras.<name>.*` parameters). */
export function isCameraName(name: unknown): name is string {
  return typeof name === 'string' && CAMERAS_SETTINGS['<name>'].name.test(name);
}

function parameterSpec({ path, setting }: SettingEntry): ParameterSpec {
  const kind = parameterKind(setting);
  return {
    name: path,
    kind,
    // A required setting still needs a value of its type: '' (refused by the parser, by name).
    defaultValue: (settingDefault(setting) ?? EMPTY[kind]) as ParameterSpec['defaultValue'],
    description: setting.description,
    ...('range' in setting ? { range: setting.range } : {}),
    ...('choices' in setting && setting.choices !== undefined ? { choices: setting.choices } : {}),
    dynamic: setting.dynamic ?? false,
  };
}

const EMPTY: Readonly<Record<ParameterKind, ParameterSpec['defaultValue']>> = {
  bool: false,
  integer: 0,
  double: 0,
  string: '',
  string_array: [],
};

function parameterKind(setting: Setting): ParameterKind {
  switch (setting.kind) {
    case 'choice':
    case 'string':
      return 'string';
    case 'bool':
    case 'integer':
    case 'double':
    case 'string_array':
      return setting.kind;
    case 'double_array':
      // Only the crop classifier has one, and it is config-file only.
      throw new TypeError(
        `setting kind 'double_array' is no node parameter (${setting.description})`,
      );
  }
}
