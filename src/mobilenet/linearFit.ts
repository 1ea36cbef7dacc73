/** A least-squares line y = intercept + slope * x and Pearson's correlation r of the points. */
export interface LinearFit {
  readonly slope: number;
  readonly intercept: number;
  /** In [-1, 1]; 0 when the y values are all equal. */
  readonly r: number;
}

/**
 * Ordinary least squares of y on x. Used to say how well mult-adds predict measured latency.
 *
 * @throws RangeError when the arrays differ in length, hold fewer than 2 points, or all x are equal.
 */
export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
  if (xs.length !== ys.length) {
    throw new RangeError(
      `'xs' and 'ys' must have the same length, got ${xs.length} and ${ys.length}`,
    );
  }
  const n = xs.length;
  if (n < 2) throw new RangeError(`a line needs at least 2 points, got ${n}`);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? 0) - mx;
    const dy = (ys[i] ?? 0) - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx === 0) throw new RangeError(`'xs' must not all be equal (got ${mx} ${n} times)`);
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r: syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy) };
}
