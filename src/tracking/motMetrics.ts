import { iou, type Box } from '../postprocess/box.js';
import { linearAssignment } from './linearAssignment.js';

/** A box with an identity: a ground-truth object or a tracker's output. */
export interface MotObject {
  readonly id: string;
  readonly box: Box;
}

/** One frame of a sequence: what is there, and what the tracker reported. */
export interface MotFrame {
  readonly truth: readonly MotObject[];
  readonly tracks: readonly MotObject[];
}

/** CLEAR-MOT and identity metrics of a sequence. Counts are summed over frames. */
export interface MotMetrics {
  readonly frames: number;
  /** Ground-truth boxes (GT). */
  readonly truth: number;
  /** Tracker boxes. */
  readonly tracks: number;
  readonly matches: number;
  /** Ground-truth boxes without a match (FN). */
  readonly misses: number;
  /** Tracker boxes without a match (FP). */
  readonly falsePositives: number;
  /** Matches whose tracker id differs from the one this object was last matched to (IDSW). */
  readonly idSwitches: number;
  /** Times an object's matched run was interrupted and later resumed (Frag). */
  readonly fragmentations: number;
  /** 1 - (FN + FP + IDSW) / GT; may be negative. NaN without ground truth. */
  readonly mota: number;
  /** Mean IoU of the matches (this variant of MOTP: higher is better). NaN without matches. */
  readonly motp: number;
  /** Identity true positives: boxes matched under the best one-to-one map of object to track ids. */
  readonly idtp: number;
  readonly idfp: number;
  readonly idfn: number;
  /** 2 IDTP / (2 IDTP + IDFP + IDFN). */
  readonly idf1: number;
  /** IDTP / (IDTP + IDFP). */
  readonly idp: number;
  /** IDTP / (IDTP + IDFN). */
  readonly idr: number;
}

/** Pairs cheaper than this are allowed; the rest are kept out of the assignment. */
const FORBIDDEN = 1e6;

/**
 * CLEAR-MOT (Bernardin and Stiefelhagen 2008) and identity metrics (Ristani et al. 2016) of a
 * tracked sequence, with boxes matched when IoU >= `iouThreshold` (default 0.5):
 * - per frame, an object keeps the track it was last matched to if that track is still there
 *   and still overlaps enough; the others are matched by optimal assignment on 1 - IoU. A match
 *   to another track than the object's previous one is an identity switch;
 * - a fragmentation is a run of frames in which an object, tracked before, is missed, and then
 *   tracked again;
 * - IDF1 maps object ids to track ids one-to-one over the whole sequence (optimal assignment
 *   maximising the frames where both are present and overlap enough) and counts a box as an
 *   identity true positive only under that map.
 */
export function motMetrics(
  frames: readonly MotFrame[],
  options: { iouThreshold?: number } = {},
): MotMetrics {
  const threshold = options.iouThreshold ?? 0.5;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new RangeError(`'iouThreshold' must be in (0, 1], got ${threshold}`);
  }
  let truth = 0;
  let tracks = 0;
  let matches = 0;
  let idSwitches = 0;
  let iouSum = 0;
  const lastMatch = new Map<string, string>();
  /** Per object: 'tracked' after a match, 'gap' after a miss that followed a match. */
  const runState = new Map<string, 'tracked' | 'gap'>();
  let fragmentations = 0;
  /** Frames where object g and track h overlap enough, keyed `g\0h`. */
  const overlapFrames = new Map<string, number>();
  const truthCount = new Map<string, number>();
  const trackCount = new Map<string, number>();

  for (const [n, frame] of frames.entries()) {
    checkUniqueIds(frame.truth, 'truth', n);
    checkUniqueIds(frame.tracks, 'tracks', n);
    truth += frame.truth.length;
    tracks += frame.tracks.length;
    for (const g of frame.truth) truthCount.set(g.id, (truthCount.get(g.id) ?? 0) + 1);
    for (const h of frame.tracks) trackCount.set(h.id, (trackCount.get(h.id) ?? 0) + 1);

    const overlap = frame.truth.map((g) => frame.tracks.map((h) => iou(g.box, h.box)));
    overlap.forEach((row, gi) =>
      row.forEach((value, hi) => {
        if (value < threshold) return;
        const key = `${frame.truth[gi]?.id}\0${frame.tracks[hi]?.id}`;
        overlapFrames.set(key, (overlapFrames.get(key) ?? 0) + 1);
      }),
    );

    // Continue last correspondences that still hold.
    const trackOf = new Map<number, number>();
    const takenTracks = new Set<number>();
    frame.truth.forEach((g, gi) => {
      const previous = lastMatch.get(g.id);
      if (previous === undefined) return;
      const hi = frame.tracks.findIndex((h) => h.id === previous);
      if (hi >= 0 && !takenTracks.has(hi) && (overlap[gi]?.[hi] ?? 0) >= threshold) {
        trackOf.set(gi, hi);
        takenTracks.add(hi);
      }
    });
    // Optimal assignment of the rest.
    const freeTruth = frame.truth.map((_, gi) => gi).filter((gi) => !trackOf.has(gi));
    const freeTracks = frame.tracks.map((_, hi) => hi).filter((hi) => !takenTracks.has(hi));
    const cost = new Float64Array(freeTruth.length * freeTracks.length);
    freeTruth.forEach((gi, r) =>
      freeTracks.forEach((hi, c) => {
        const value = overlap[gi]?.[hi] ?? 0;
        cost[r * freeTracks.length + c] = value >= threshold ? 1 - value : FORBIDDEN;
      }),
    );
    const assigned = linearAssignment(cost, freeTruth.length, freeTracks.length);
    freeTruth.forEach((gi, r) => {
      const c = assigned[r] as number;
      if (c >= 0 && (cost[r * freeTracks.length + c] as number) < FORBIDDEN) {
        trackOf.set(gi, freeTracks[c] as number);
      }
    });

    frame.truth.forEach((g, gi) => {
      const hi = trackOf.get(gi);
      if (hi === undefined) {
        if (runState.get(g.id) === 'tracked') runState.set(g.id, 'gap');
        return;
      }
      const h = frame.tracks[hi] as MotObject;
      matches++;
      iouSum += overlap[gi]?.[hi] ?? 0;
      const previous = lastMatch.get(g.id);
      if (previous !== undefined && previous !== h.id) idSwitches++;
      lastMatch.set(g.id, h.id);
      if (runState.get(g.id) === 'gap') fragmentations++;
      runState.set(g.id, 'tracked');
    });
  }

  const idtp = identityTruePositives(truthCount, trackCount, overlapFrames);
  const misses = truth - matches;
  const falsePositives = tracks - matches;
  return {
    frames: frames.length,
    truth,
    tracks,
    matches,
    misses,
    falsePositives,
    idSwitches,
    fragmentations,
    mota: truth === 0 ? NaN : 1 - (misses + falsePositives + idSwitches) / truth,
    motp: matches === 0 ? NaN : iouSum / matches,
    idtp,
    idfp: tracks - idtp,
    idfn: truth - idtp,
    idf1: truth + tracks === 0 ? NaN : (2 * idtp) / (truth + tracks),
    idp: tracks === 0 ? NaN : idtp / tracks,
    idr: truth === 0 ? NaN : idtp / truth,
  };
}

/** The largest number of frames covered by a one-to-one map of object ids to track ids. */
function identityTruePositives(
  truthCount: ReadonlyMap<string, number>,
  trackCount: ReadonlyMap<string, number>,
  overlapFrames: ReadonlyMap<string, number>,
): number {
  const truthIds = [...truthCount.keys()];
  const trackIds = [...trackCount.keys()];
  if (truthIds.length === 0 || trackIds.length === 0) return 0;
  // Maximise the shared frames: minimise their negation. Pairs that never overlap cost 0, so
  // mapping to them changes nothing.
  const cost = new Float64Array(truthIds.length * trackIds.length);
  truthIds.forEach((g, r) =>
    trackIds.forEach((h, c) => {
      cost[r * trackIds.length + c] = -(overlapFrames.get(`${g}\0${h}`) ?? 0);
    }),
  );
  const assigned = linearAssignment(cost, truthIds.length, trackIds.length);
  let total = 0;
  assigned.forEach((c, r) => {
    if (c >= 0) total -= cost[r * trackIds.length + c] as number;
  });
  return total;
}

function checkUniqueIds(objects: readonly MotObject[], what: string, frame: number): void {
  const seen = new Set<string>();
  for (const o of objects) {
    if (seen.has(o.id)) {
      throw new RangeError(
        `frame ${frame}: id '${o.id}' appears twice in '${what}'; each id may box one object per frame`,
      );
    }
    seen.add(o.id);
  }
}
