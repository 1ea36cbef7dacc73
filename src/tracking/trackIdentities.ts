/** Settings of {@link TrackIdentities}; see TrackingConfig for the documented defaults. */
export interface TrackIdentitiesOptions {
  /** Recognition results kept per track (the last N faces seen on it), >= 1. */
  readonly window: number;
  /** Results naming a person before the track takes that name, in [1, window]. */
  readonly minVotes: number;
  /**
   * How far the winner's weight must lead the runner-up's, as a fraction of the window's total
   * weight, in [0, 1]. 0 takes a plain (weighted) majority.
   */
  readonly margin: number;
  /**
   * Seconds (header stamps) a track keeps its name after the last face that matched it, >= 0:
   * while the face is hidden, turned away, or too small to match.
   */
  readonly holdS: number;
  /**
   * Vote weight of an unrecognised face. A recognised one weighs its cosine similarity, so the
   * match threshold (the similarity an unknown face did not reach) is the natural choice.
   */
  readonly unknownWeight: number;
}

/** One face seen on a track in one frame: the gallery match ('' unknown) and its similarity. */
export interface IdentityObservation {
  readonly trackId: string;
  readonly identity: string;
  readonly score: number;
}

/** What a track is called now. */
export interface TrackIdentity {
  /** The voted name; '' while unknown or undecided. */
  readonly identity: string;
  /** Mean similarity of the window's results naming it; 0 when unknown. */
  readonly score: number;
  /** Results in the window naming it (0 when unknown). */
  readonly votes: number;
}

const UNKNOWN: TrackIdentity = { identity: '', score: 0, votes: 0 };

interface TrackState {
  readonly window: { identity: string; score: number }[];
  /** Stamp of the last face seen on the track. */
  lastSeen: number;
  decided: TrackIdentity;
  /** Stamp of the last face that matched `decided`. */
  namedAt: number;
}

/**
 * Names on the person tracks of one camera, voted over recent frames instead of taken from one
 * frame's gallery match. Each track keeps its last `window` recognition results; the label with
 * the largest weight (a match weighs its similarity, an unknown face `unknownWeight`) wins when
 * it has `minVotes` results and leads the runner-up by `margin` of the total weight. A track
 * that has a name keeps it until another name wins the vote, or `holdS` seconds pass without a
 * face matching it: unknown results (a face turned away, blurred, too small) and frames without
 * a face do not take the name away, the passing of time does. A stranger is never named unless
 * `minVotes` of the window's faces matched one person and outweigh the unknown ones.
 *
 * Pure: time comes from header stamps. Stamps that go backwards drop every track (as the tracker
 * does); the owner calls reset() when the tracker is cleared.
 */
export class TrackIdentities {
  private readonly tracks = new Map<string, TrackState>();
  private stamp: number | undefined;

  constructor(private readonly options: TrackIdentitiesOptions) {
    const { window, minVotes, margin, holdS, unknownWeight } = options;
    if (!Number.isInteger(window) || window < 1) {
      throw new RangeError(`'window' must be an integer >= 1, got ${window}`);
    }
    if (!Number.isInteger(minVotes) || minVotes < 1 || minVotes > window) {
      throw new RangeError(
        `'minVotes' must be an integer in [1, window=${window}], got ${minVotes}`,
      );
    }
    if (!(margin >= 0 && margin <= 1)) {
      throw new RangeError(`'margin' must be in [0, 1], got ${margin}`);
    }
    if (!(holdS >= 0 && Number.isFinite(holdS))) {
      throw new RangeError(`'holdS' must be a number of seconds >= 0, got ${holdS}`);
    }
    if (!(unknownWeight >= 0 && Number.isFinite(unknownWeight))) {
      throw new RangeError(`'unknownWeight' must be a number >= 0, got ${unknownWeight}`);
    }
  }

  /** Tracks with recognition state. */
  get trackCount(): number {
    return this.tracks.size;
  }

  /** Forgets every track. */
  reset(): void {
    this.tracks.clear();
    this.stamp = undefined;
  }

  /**
   * Takes the faces recognised on tracks in the frame at `stamp` seconds (at most one per track;
   * a frame without faces is an empty list and still moves time on).
   */
  update(stamp: number, observations: readonly IdentityObservation[]): void {
    if (!Number.isFinite(stamp)) {
      throw new RangeError(`'stamp' must be finite seconds, got ${stamp}`);
    }
    if (this.stamp !== undefined && stamp < this.stamp) this.reset();
    this.stamp = stamp;
    const { holdS } = this.options;
    for (const o of observations) {
      let state = this.tracks.get(o.trackId);
      if (state === undefined) {
        state = { window: [], lastSeen: stamp, decided: UNKNOWN, namedAt: stamp };
        this.tracks.set(o.trackId, state);
      }
      state.window.push({ identity: o.identity, score: o.score });
      if (state.window.length > this.options.window) state.window.shift();
      state.lastSeen = stamp;
      this.decide(state, stamp, o.identity);
    }
    for (const [id, state] of this.tracks) {
      if (state.decided.identity !== '' && stamp - state.namedAt > holdS) state.decided = UNKNOWN;
      if (stamp - state.lastSeen > holdS) this.tracks.delete(id);
    }
  }

  /** The track's name as of the last update(). */
  identityOf(trackId: string): TrackIdentity {
    return this.tracks.get(trackId)?.decided ?? UNKNOWN;
  }

  private decide(state: TrackState, stamp: number, seen: string): void {
    const weights = new Map<string, { weight: number; votes: number; similarity: number }>();
    let total = 0;
    for (const r of state.window) {
      const weight = r.identity === '' ? this.options.unknownWeight : r.score;
      const entry = weights.get(r.identity) ?? { weight: 0, votes: 0, similarity: 0 };
      entry.weight += weight;
      entry.votes++;
      entry.similarity += r.score;
      weights.set(r.identity, entry);
      total += weight;
    }
    const ranked = [...weights].sort((a, b) => b[1].weight - a[1].weight);
    const [best, second] = ranked;
    if (best !== undefined) {
      const [name, entry] = best;
      const lead = total > 0 ? (entry.weight - (second?.[1].weight ?? 0)) / total : 0;
      const wins = entry.votes >= this.options.minVotes && lead >= this.options.margin;
      // A name is taken by winning; unknown results never take a name away (see the class doc).
      if (wins && name !== '' && name !== state.decided.identity) state.namedAt = stamp;
      if (wins && name !== '') {
        state.decided = {
          identity: name,
          score: entry.similarity / entry.votes,
          votes: entry.votes,
        };
      }
    }
    if (seen !== '' && seen === state.decided.identity) {
      state.namedAt = stamp;
      const entry = weights.get(seen);
      if (entry !== undefined) {
        state.decided = {
          identity: seen,
          score: entry.similarity / entry.votes,
          votes: entry.votes,
        };
      }
    }
  }
}
