import { setting } from './settings/setting.js';
import type { SettingValues } from './settings/settingValues.js';

/** DDS reliability of an endpoint. */
export const RELIABILITIES = ['best_effort', 'reliable'] as const;
export type Reliability = (typeof RELIABILITIES)[number];
/** DDS durability of an endpoint. */
export const DURABILITIES = ['volatile', 'transient_local'] as const;
export type Durability = (typeof DURABILITIES)[number];

/**
 * The QoS settings of one subscription or publisher (history is always keep-last), with the
 * defaults of where they are used; `of` says whose QoS it is in the descriptions.
 */
export function qosSettings(
  defaults: Readonly<{ reliability: Reliability; durability: Durability; depth: number }>,
  of: string,
) {
  return {
    reliability: setting({
      kind: 'choice',
      choices: RELIABILITIES,
      default: defaults.reliability,
      description: `QoS reliability of ${of}`,
    }),
    durability: setting({
      kind: 'choice',
      choices: DURABILITIES,
      default: defaults.durability,
      description: `QoS durability of ${of}`,
    }),
    depth: setting({
      kind: 'integer',
      range: [1, 1000],
      default: defaults.depth,
      description: `QoS keep-last depth of ${of}`,
    }),
  } as const;
}

/** Quality of service of one subscription or publisher (history is always keep-last). */
export type QosConfig = SettingValues<ReturnType<typeof qosSettings>>;

/** Best effort, volatile, keep last 1: what camera drivers publish with (rclcpp's SensorDataQoS). */
export const SENSOR_DATA_QOS: QosConfig = {
  reliability: 'best_effort',
  durability: 'volatile',
  depth: 1,
};
