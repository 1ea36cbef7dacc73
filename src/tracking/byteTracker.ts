import { iou, type Box } from '../postprocess/box.js';
import { BoxKalmanFilter, defaultBoxMotionNoise, type BoxMotionNoise } from './boxKalmanFilter.js';
import { linearAssignment } from './linearAssignment.js';

/** Settings of {@link ByteTracker}; see TrackingConfig for the documented defaults. */
export interface ByteTrackerOptions {
  /** Detections at or above this score are matched first and may start tracks, in [0, 1]. */
  readonly highScore: number;
  /** Detections in [lowScore, highScore) only continue confirmed tracks; below are ignored. */
  readonly lowScore: number;
  /** Least IoU between a track's predicted box and a detection for a match, in (0, 1]. */
  readonly matchIou: number;
  /** Matched detections (the first included) before a track is confirmed and gets an id, >= 1. */
  readonly minHits: number;
  /** Seconds (header stamps) a confirmed track survives without a match, >= 0. */
  readonly maxAgeS: number;
  /** Motion model noise. Default defaultBoxMotionNoise. */
  readonly noise?: BoxMotionNoise;
}

/** What the tracker needs of a detection. */
export interface TrackableDetection {
  readonly classId: number;
  readonly score: number;
  readonly box: Box;
}

/** A pair cost that forbids a match (different class, or IoU below matchIou). */
const FORBIDDEN = 1e6;

interface Track {
  readonly classId: number;
  readonly filter: BoxKalmanFilter;
  hits: number;
  /** Set when the track is confirmed. */
  id: string | undefined;
  /** Stamp (s) of the last matched detection. */
  lastSeen: number;
}

/**
 * ByteTrack-style multi-object tracker of one camera (Zhang et al. 2022, "ByteTrack:
 * Multi-Object Tracking by Associating Every Detection Box"), pure TypeScript:
 * 1. every track's box is predicted to the frame's stamp by a constant-velocity Kalman filter;
 * 2. confident detections (score >= highScore) are matched to all live tracks by optimal
 *    assignment on 1 - IoU;
 * 3. the weak ones (lowScore <= score < highScore) are matched to the confirmed tracks left, so
 *    an object whose score dips for a frame keeps its track, while weak boxes never start one;
 * 4. confident detections left start tentative tracks; a tentative track that misses a frame is
 *    dropped, one matched `minHits` times is confirmed and gets the next id ("1", "2", ...);
 *    a confirmed track lives `maxAgeS` seconds after its last match (occlusions).
 * A track only matches detections of its own class. Time comes from header stamps, so varying
 * frame rates and dropped frames need no setting. Stamps that go backwards (a bag looped, a
 * camera restarted) drop every track; ids keep counting, so an id is never reused.
 */
export class ByteTracker {
  private tracks: Track[] = [];
  private lastStamp: number | undefined;
  private nextId = 1;
  private resetsValue = 0;
  private readonly noise: BoxMotionNoise;

  constructor(private readonly options: ByteTrackerOptions) {
    checkUnit('highScore', options.highScore);
    checkUnit('lowScore', options.lowScore);
    if (options.lowScore > options.highScore) {
      throw new RangeError(
        `'lowScore' must not exceed 'highScore', got ${options.lowScore} > ${options.highScore}`,
      );
    }
    if (!(options.matchIou > 0 && options.matchIou <= 1)) {
      throw new RangeError(`'matchIou' must be in (0, 1], got ${options.matchIou}`);
    }
    if (!Number.isInteger(options.minHits) || options.minHits < 1) {
      throw new RangeError(`'minHits' must be an integer >= 1, got ${options.minHits}`);
    }
    if (!(options.maxAgeS >= 0 && Number.isFinite(options.maxAgeS))) {
      throw new RangeError(`'maxAgeS' must be a number of seconds >= 0, got ${options.maxAgeS}`);
    }
    this.noise = options.noise ?? defaultBoxMotionNoise;
  }

  /** Live tracks, tentative ones included. */
  get trackCount(): number {
    return this.tracks.length;
  }

  /** How often backwards stamps dropped all tracks. */
  get resets(): number {
    return this.resetsValue;
  }

  /** Drops every track (ids keep counting). */
  reset(): void {
    this.tracks = [];
    this.lastStamp = undefined;
  }

  /**
   * Takes one frame's detections (any order, any score) at `stamp` seconds and returns, for
   * each detection, the id of the confirmed track it belongs to, or undefined (not matched,
   * below lowScore, or its track is still tentative).
   */
  update(stamp: number, detections: readonly TrackableDetection[]): (string | undefined)[] {
    if (!Number.isFinite(stamp))
      throw new RangeError(`'stamp' must be finite seconds, got ${stamp}`);
    if (this.lastStamp !== undefined && stamp < this.lastStamp) {
      this.reset();
      this.resetsValue++;
    }
    const dt = this.lastStamp === undefined ? 0 : stamp - this.lastStamp;
    this.lastStamp = stamp;
    const { highScore, lowScore, maxAgeS, minHits } = this.options;
    this.tracks = this.tracks.filter((t) => stamp - t.lastSeen <= maxAgeS);
    for (const track of this.tracks) track.filter.predict(dt);

    const high: number[] = [];
    const low: number[] = [];
    detections.forEach((d, i) => {
      if (d.score >= highScore) high.push(i);
      else if (d.score >= lowScore) low.push(i);
    });
    const trackOf = new Map<number, Track>();
    const predicted = this.tracks.map((t) => t.filter.box);

    const firstLeft = this.match(high, [...this.tracks.keys()], detections, predicted, trackOf);
    const confirmedLeft = firstLeft.tracks.filter((k) => this.tracks[k]?.id !== undefined);
    this.match(low, confirmedLeft, detections, predicted, trackOf);

    for (const [i, track] of trackOf) {
      const d = detections[i] as TrackableDetection;
      track.filter.update(d.box);
      track.hits++;
      track.lastSeen = stamp;
      if (track.id === undefined && track.hits >= minHits) track.id = String(this.nextId++);
    }
    const matched = new Set(trackOf.values());
    // A tentative track that misses a frame was most likely a false positive.
    this.tracks = this.tracks.filter((t) => matched.has(t) || t.id !== undefined);
    for (const i of firstLeft.detections) {
      const d = detections[i] as TrackableDetection;
      const track: Track = {
        classId: d.classId,
        filter: new BoxKalmanFilter(d.box, this.noise),
        hits: 1,
        id: undefined,
        lastSeen: stamp,
      };
      if (minHits <= 1) track.id = String(this.nextId++);
      this.tracks.push(track);
      trackOf.set(i, track);
    }
    return detections.map((_, i) => trackOf.get(i)?.id);
  }

  /**
   * Optimal assignment of detections (indices) to tracks (indices into this.tracks) on 1 - IoU
   * with the predicted boxes; pairs of different classes or under matchIou are never matched.
   * Records matches in `trackOf`; returns what is left of both.
   */
  private match(
    detectionIndices: readonly number[],
    trackIndices: readonly number[],
    detections: readonly TrackableDetection[],
    predicted: readonly Box[],
    trackOf: Map<number, Track>,
  ): { detections: number[]; tracks: number[] } {
    const rows = detectionIndices.length;
    const cols = trackIndices.length;
    if (rows === 0 || cols === 0)
      return { detections: [...detectionIndices], tracks: [...trackIndices] };
    const cost = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const d = detections[detectionIndices[r] as number] as TrackableDetection;
      for (let c = 0; c < cols; c++) {
        const k = trackIndices[c] as number;
        const track = this.tracks[k] as Track;
        const overlap = track.classId === d.classId ? iou(d.box, predicted[k] as Box) : 0;
        cost[r * cols + c] = overlap >= this.options.matchIou ? 1 - overlap : FORBIDDEN;
      }
    }
    const assigned = linearAssignment(cost, rows, cols);
    const usedTracks = new Set<number>();
    const leftDetections: number[] = [];
    for (let r = 0; r < rows; r++) {
      const c = assigned[r] as number;
      const i = detectionIndices[r] as number;
      if (c >= 0 && (cost[r * cols + c] as number) < FORBIDDEN) {
        usedTracks.add(c);
        trackOf.set(i, this.tracks[trackIndices[c] as number] as Track);
      } else {
        leftDetections.push(i);
      }
    }
    return {
      detections: leftDetections,
      tracks: trackIndices.filter((_, c) => !usedTracks.has(c)),
    };
  }
}

function checkUnit(name: string, value: number): void {
  if (!(value >= 0 && value <= 1))
    throw new RangeError(`'${name}' must be in [0, 1], got ${value}`);
}
