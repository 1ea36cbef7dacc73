/**
 * Vector helpers for face embeddings: pure functions on typed arrays.
 */

/**
 * Returns `v / |v|` as a new Float32Array.
 * @throws RangeError for a vector of zero or non-finite length (a broken model output).
 */
export function l2Normalize(v: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm)) {
    throw new RangeError(`cannot L2-normalise a vector of length ${norm} (${v.length} values)`);
  }
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / norm;
  return out;
}

/**
 * Cosine similarity of two vectors of the same dimension, in [-1, 1] (their dot product when
 * both are L2-normalised).
 * @throws RangeError when the dimensions differ.
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new RangeError(`embedding dimensions differ: ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  const denominator = Math.sqrt(na * nb);
  return denominator > 0 ? dot / denominator : 0;
}
