import type { ConfigReader } from './configReader.js';
import { defaultSettings, readSettings } from './settings/readSettings.js';
import { setting } from './settings/setting.js';
import type { SettingValues } from './settings/settingValues.js';

/**
 * The `tracking:` settings: multi-object tracking per camera, ids on published detections. Read
 * at start.
 */
export const TRACKING_SETTINGS = {
  // With tracking on, the detector also reports boxes down to low_score; the published set is
  // every detection at or above detector.score_threshold (as with tracking off) plus the weaker
  // detections that continue a confirmed track.
  enabled: setting({
    kind: 'bool',
    default: true,
    description:
      'track objects per camera; Detection2D.id carries the track id of confirmed tracks',
  }),
  // 0.5: the detector's default publish threshold.
  high_score: setting({
    kind: 'double',
    range: [0, 1],
    default: 0.5,
    description: 'score at which a detection is matched first and may start a track',
  }),
  // At most high_score (checked by parseTrackingConfig). 0.3 is a choice, not yet a measured
  // optimum: on the synthetic sequences weak detections (0.34-0.42) of a partly hidden person
  // kept its track.
  low_score: setting({
    kind: 'double',
    range: [0, 1],
    default: 0.3,
    description:
      'weakest detection that may continue a confirmed track (published with its id), at most high_score',
  }),
  match_iou: setting({
    kind: 'double',
    range: [0.05, 1],
    default: 0.3,
    description: "least IoU of a detection with a track's predicted box to match it",
  }),
  // Detections of tentative tracks are published with an empty id.
  min_hits: setting({
    kind: 'integer',
    range: [1, 100],
    default: 2,
    description: 'matched frames before a track is confirmed and gets an id',
  }),
  // Through occlusions and missed detections.
  max_age_s: setting({
    kind: 'double',
    range: [0, 60],
    default: 1,
    description: 'seconds (header stamps) a confirmed track is kept without a match',
  }),
  // 10: 1 s at 10 fps (see TrackIdentities).
  identity_window: setting({
    kind: 'integer',
    range: [1, 100],
    default: 10,
    description: 'faces remembered per person track for its identity vote',
  }),
  // At most identity_window. 3: one or two stray matches never name a track.
  identity_min_votes: setting({
    kind: 'integer',
    range: [1, 100],
    default: 3,
    description:
      'matches of one person in the window before the track takes the name, at most identity_window',
  }),
  // A weight is a sum of similarities; an unknown face weighs faces.match_threshold.
  identity_margin: setting({
    kind: 'double',
    range: [0, 1],
    default: 0.2,
    description:
      "lead of the winning name's weight over the runner-up's, as a fraction of the window's",
  }),
  // While the face is hidden or turned away.
  identity_hold_s: setting({
    kind: 'double',
    range: [0, 600],
    default: 5,
    description:
      'seconds (header stamps) a track keeps its name after the last face that matched it',
  }),
} as const;

/** Multi-object tracking per camera, parsed once by {@link parseTrackingConfig}. */
export type TrackingConfig = SettingValues<typeof TRACKING_SETTINGS>;

/** The tracking settings used when the config says nothing. */
export function defaultTrackingConfig(): TrackingConfig {
  return defaultSettings(TRACKING_SETTINGS);
}

/**
 * Parses the `tracking:` mapping, filling defaults.
 * @throws ConfigError (CONFIG_INVALID) naming the key `tracking.<key>`, the allowed range and the
 *   value found; also when low_score exceeds high_score.
 */
export function parseTrackingConfig(reader: ConfigReader): TrackingConfig {
  const config = readSettings(reader, TRACKING_SETTINGS);
  if (config.identityMinVotes > config.identityWindow) {
    throw reader.error(
      'identity_min_votes',
      `must not exceed tracking.identity_window (${config.identityWindow})`,
      config.identityMinVotes,
    );
  }
  if (config.lowScore > config.highScore) {
    throw reader.error(
      'low_score',
      `must not exceed tracking.high_score (${config.highScore}); lower it or raise high_score`,
      config.lowScore,
    );
  }
  return config;
}
