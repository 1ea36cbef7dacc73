/** One ranked class: its index in the score vector and its score. */
export interface RankedClass {
  readonly index: number;
  readonly score: number;
}

/**
 * Softmax of a logit vector, computed stably (the maximum is subtracted before exponentiating),
 * in float64 and returned as float32. The result sums to 1 up to float32 rounding.
 *
 * @throws RangeError for an empty vector or a value that is not finite (a model that emits NaN
 *   or infinity is broken; its index is quoted).
 */
export function softmax(logits: ArrayLike<number>): Float32Array {
  if (logits.length === 0) throw new RangeError(`'logits' must not be empty`);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i] ?? Number.NaN;
    if (!Number.isFinite(v))
      throw new RangeError(`'logits' must be finite, got ${v} at index ${i}`);
    if (v > max) max = v;
  }
  const exps = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i] ?? 0) - max);
    exps[i] = e;
    sum += e;
  }
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = (exps[i] ?? 0) / sum;
  return out;
}

/**
 * The k highest scores with their indices, highest first; equal scores keep index order. k larger
 * than the vector returns every entry. Does not change `scores`.
 *
 * @throws RangeError when k is not an integer >= 1, or a score is NaN.
 */
export function topK(scores: ArrayLike<number>, k: number): RankedClass[] {
  if (!Number.isSafeInteger(k) || k < 1)
    throw new RangeError(`'k' must be an integer >= 1, got ${k}`);
  const best: RankedClass[] = [];
  for (let index = 0; index < scores.length; index++) {
    const score = scores[index] ?? Number.NaN;
    if (Number.isNaN(score))
      throw new RangeError(`'scores' must not contain NaN, got NaN at index ${index}`);
    if (best.length === k && score <= (best[k - 1]?.score ?? Number.NEGATIVE_INFINITY)) continue;
    // Insertion into the short sorted list: k is small (top-5 of 1000 classes).
    let at = best.length;
    while (at > 0 && (best[at - 1]?.score ?? Number.POSITIVE_INFINITY) < score) at--;
    best.splice(at, 0, { index, score });
    if (best.length > k) best.pop();
  }
  return best;
}
