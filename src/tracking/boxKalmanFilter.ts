import type { Box } from '../postprocess/box.js';

/**
 * Noise of {@link BoxKalmanFilter}, as fractions of the box's size (its larger side), so that
 * the same settings serve near and far objects. Times are in seconds.
 */
export interface BoxMotionNoise {
  /** Standard deviation of a measured edge position. Default 0.05 (SSD boxes jitter by a few %). */
  readonly measurement: number;
  /** Random acceleration of the centre, per s^2. Default 4 (a walking person turning round). */
  readonly acceleration: number;
  /** Random acceleration of width and height, per s^2. Default 1. */
  readonly sizeAcceleration: number;
  /** Standard deviation of the unknown velocity of a new box, per s. Default 2. */
  readonly initialVelocity: number;
}

export const defaultBoxMotionNoise: BoxMotionNoise = {
  measurement: 0.05,
  acceleration: 4,
  sizeAcceleration: 1,
  initialVelocity: 2,
};

/** Smallest width or height a predicted box keeps (pixels), so a shrinking box never inverts. */
const MIN_SIDE = 1e-3;

/**
 * Constant-velocity Kalman filter of a box's centre x, y, width and height (the SORT/ByteTrack
 * motion model, with time steps taken from header stamps). The four coordinates move
 * independently and their noises are uncorrelated, so the 8x8 filter splits exactly into four
 * filters of [position, velocity] with 2x2 covariances; that is what is stored.
 * Process noise is the discretised white-noise acceleration model: for a step dt,
 * Q = s^2 [[dt^4/4, dt^3/2], [dt^3/2, dt^2]].
 */
export class BoxKalmanFilter {
  /** Per coordinate k (cx, cy, w, h): state[2k] position, state[2k+1] velocity. */
  private readonly state = new Float64Array(8);
  /** Per coordinate k: covariance [pp, pv, vv] at 3k. */
  private readonly covariance = new Float64Array(12);

  constructor(
    box: Box,
    private readonly noise: BoxMotionNoise = defaultBoxMotionNoise,
  ) {
    const z = measure(box);
    const size = sizeOf(z);
    const p = (noise.measurement * size) ** 2;
    const v = (noise.initialVelocity * size) ** 2;
    for (let k = 0; k < 4; k++) {
      this.state[2 * k] = z[k] as number;
      this.covariance[3 * k] = p;
      this.covariance[3 * k + 2] = v;
    }
  }

  /** The current estimate as corners. */
  get box(): Box {
    const s = this.state;
    const w = Math.max(MIN_SIDE, s[4] as number);
    const h = Math.max(MIN_SIDE, s[6] as number);
    const cx = s[0] as number;
    const cy = s[2] as number;
    return { xmin: cx - w / 2, ymin: cy - h / 2, xmax: cx + w / 2, ymax: cy + h / 2 };
  }

  /** Velocity of the centre, pixels per second. */
  get velocity(): { readonly x: number; readonly y: number } {
    return { x: this.state[1] as number, y: this.state[3] as number };
  }

  /** Moves the estimate `dt` seconds ahead (dt >= 0). */
  predict(dt: number): void {
    if (!(dt >= 0)) throw new RangeError(`'dt' must be a number >= 0 seconds, got ${dt}`);
    if (dt === 0) return;
    const size = sizeOf([0, 0, this.state[4] as number, this.state[6] as number]);
    for (let k = 0; k < 4; k++) {
      const sigma = (k < 2 ? this.noise.acceleration : this.noise.sizeAcceleration) * size;
      const q = sigma * sigma;
      const i = 2 * k;
      this.state[i] = (this.state[i] as number) + (this.state[i + 1] as number) * dt;
      const c = 3 * k;
      const pp = this.covariance[c] as number;
      const pv = this.covariance[c + 1] as number;
      const vv = this.covariance[c + 2] as number;
      this.covariance[c] = pp + 2 * dt * pv + dt * dt * vv + (q * dt ** 4) / 4;
      this.covariance[c + 1] = pv + dt * vv + (q * dt ** 3) / 2;
      this.covariance[c + 2] = vv + q * dt * dt;
    }
  }

  /** Corrects the estimate with a measured box. */
  update(box: Box): void {
    const z = measure(box);
    const r = (this.noise.measurement * sizeOf(z)) ** 2;
    for (let k = 0; k < 4; k++) {
      const i = 2 * k;
      const c = 3 * k;
      const pp = this.covariance[c] as number;
      const pv = this.covariance[c + 1] as number;
      const vv = this.covariance[c + 2] as number;
      const s = pp + r;
      const gainP = pp / s;
      const gainV = pv / s;
      const residual = (z[k] as number) - (this.state[i] as number);
      this.state[i] = (this.state[i] as number) + gainP * residual;
      this.state[i + 1] = (this.state[i + 1] as number) + gainV * residual;
      this.covariance[c] = (1 - gainP) * pp;
      this.covariance[c + 1] = (1 - gainP) * pv;
      this.covariance[c + 2] = vv - gainV * pv;
    }
  }
}

/** [cx, cy, w, h] of a box. */
function measure(box: Box): [number, number, number, number] {
  const w = box.xmax - box.xmin;
  const h = box.ymax - box.ymin;
  return [box.xmin + w / 2, box.ymin + h / 2, w, h];
}

function sizeOf(z: readonly number[]): number {
  return Math.max(MIN_SIDE, z[2] as number, z[3] as number);
}
