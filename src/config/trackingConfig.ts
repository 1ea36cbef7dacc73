import type { ConfigReader } from './configReader.js';

/**
 * Multi-object tracking per camera (the `tracking:` mapping of the config): ids on published
 * detections. Parsed once by {@link parseTrackingConfig}; read at start.
 */
export interface TrackingConfig {
  /**
   * Track objects and put the track id in Detection2D.id. Default true. With tracking on, the
   * detector also reports boxes down to `lowScore`; the published set is every detection at or
   * above detector.score_threshold (as with tracking off) plus the weaker detections that
   * continue a confirmed track.
   */
  readonly enabled: boolean;
  /**
   * Score at which a detection is matched first and may start a track, in [0, 1]. Default 0.5
   * (the detector's default publish threshold).
   */
  readonly highScore: number;
  /**
   * Weakest detection that may continue a confirmed track (second matching stage), in [0, 1],
   * at most highScore. Default 0.3, a choice, not yet a measured optimum: on the synthetic
   * sequences weak detections (0.34-0.42) of a partly hidden person kept its track.
   */
  readonly lowScore: number;
  /** Least IoU of a detection with a track's predicted box to match it, in [0.05, 1]. Default 0.3. */
  readonly matchIou: number;
  /**
   * Matched frames before a track is confirmed and its detections carry its id, in [1, 100].
   * Default 2. Detections of tentative tracks are published with an empty id.
   */
  readonly minHits: number;
  /**
   * Seconds (of header stamps) a confirmed track is kept without a match, through occlusions and
   * missed detections, in [0, 60]. Default 1.
   */
  readonly maxAgeS: number;
  /**
   * Faces remembered per person track for its identity vote (see TrackIdentities), in [1, 100].
   * Default 10 (1 s at 10 fps).
   */
  readonly identityWindow: number;
  /**
   * Faces of the window that must match one gallery person before the track takes that name, in
   * [1, identityWindow]. Default 3: one or two stray matches never name a track.
   */
  readonly identityMinVotes: number;
  /**
   * How far the winning name's weight (sum of similarities; an unknown face weighs
   * faces.match_threshold) must lead the runner-up's, as a fraction of the window's weight, in
   * [0, 1]. Default 0.2.
   */
  readonly identityMargin: number;
  /**
   * Seconds (header stamps) a track keeps its name after the last face that matched it, while
   * the face is hidden or turned away, in [0, 600]. Default 5.
   */
  readonly identityHoldS: number;
}

/** The tracking settings used when the config says nothing. */
export function defaultTrackingConfig(): TrackingConfig {
  return {
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
  };
}

/** The keys of the `tracking:` mapping. */
export const TRACKING_CONFIG_KEYS = [
  'enabled',
  'high_score',
  'low_score',
  'match_iou',
  'min_hits',
  'max_age_s',
  'identity_window',
  'identity_min_votes',
  'identity_margin',
  'identity_hold_s',
] as const;

/**
 * Parses the `tracking:` mapping, filling defaults.
 * @throws ConfigError (CONFIG_INVALID) naming the key `tracking.<key>`, the allowed range and the
 *   value found; also when low_score exceeds high_score.
 */
export function parseTrackingConfig(reader: ConfigReader): TrackingConfig {
  const defaults = defaultTrackingConfig();
  reader.only(TRACKING_CONFIG_KEYS);
  const config: TrackingConfig = {
    enabled: reader.boolean('enabled') ?? defaults.enabled,
    highScore: reader.number('high_score', 0, 1) ?? defaults.highScore,
    lowScore: reader.number('low_score', 0, 1) ?? defaults.lowScore,
    matchIou: reader.number('match_iou', 0.05, 1) ?? defaults.matchIou,
    minHits: reader.integer('min_hits', 1, 100) ?? defaults.minHits,
    maxAgeS: reader.number('max_age_s', 0, 60) ?? defaults.maxAgeS,
    identityWindow: reader.integer('identity_window', 1, 100) ?? defaults.identityWindow,
    identityMinVotes: reader.integer('identity_min_votes', 1, 100) ?? defaults.identityMinVotes,
    identityMargin: reader.number('identity_margin', 0, 1) ?? defaults.identityMargin,
    identityHoldS: reader.number('identity_hold_s', 0, 600) ?? defaults.identityHoldS,
  };
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
