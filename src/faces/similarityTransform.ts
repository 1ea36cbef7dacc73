import type { Point } from '../image/modelInputTransform.js';
import type { AffineMatrix } from '../image/warpAffine.js';

/**
 * The similarity transform (rotation, uniform scale, translation; no reflection) that maps
 * `source` points onto `target` points with the least squared error: Umeyama (1991), "Least-
 * squares estimation of transformation parameters between two point patterns", in 2-D closed
 * form. Returns the 2x3 matrix `[a, -b, tx, b, a, ty]`.
 *
 * @throws RangeError when the point lists differ in length, have fewer than 2 points, hold a
 *   non-finite coordinate, or the source points all coincide.
 */
export function similarityTransform(
  source: readonly Point[],
  target: readonly Point[],
): AffineMatrix {
  const n = source.length;
  if (n !== target.length || n < 2) {
    throw new RangeError(
      `'source' and 'target' must have the same number of points, at least 2; got ${n} and ${target.length}`,
    );
  }
  if (![...source, ...target].every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))) {
    throw new RangeError(`'source' and 'target' points must have finite coordinates`);
  }
  let sx = 0;
  let sy = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i++) {
    sx += source[i]!.x;
    sy += source[i]!.y;
    tx += target[i]!.x;
    ty += target[i]!.y;
  }
  sx /= n;
  sy /= n;
  tx /= n;
  ty /= n;
  // With centred points p (source) and q (target), the best rotation+scale as a complex number
  // z = a + ib is sum(q * conj(p)) / sum(|p|^2).
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const px = source[i]!.x - sx;
    const py = source[i]!.y - sy;
    const qx = target[i]!.x - tx;
    const qy = target[i]!.y - ty;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    norm += px * px + py * py;
  }
  if (!(norm > 1e-12)) {
    throw new RangeError(`'source' points must not all coincide`);
  }
  const a = dot / norm;
  const b = cross / norm;
  return [a, -b, tx - (a * sx - b * sy), b, a, ty - (b * sx + a * sy)];
}

/** Applies a 2x3 affine matrix to a point. */
export function applyAffine(m: AffineMatrix, p: Point): Point {
  return { x: m[0] * p.x + m[1] * p.y + m[2], y: m[3] * p.x + m[4] * p.y + m[5] };
}
