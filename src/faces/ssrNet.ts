/**
 * SSR-Net (Yang et al., IJCAI 2018, "SSR-Net: A Compact Soft Stagewise Regression Network for
 * Age Estimation") turns three stages of coarse-to-fine bin probabilities into one value:
 *
 *   y = V * sum_k sum_i p_k[i] * (i + eta_k[i]) / prod_{j<=k} (s_j * (1 + delta_j))
 *
 * with s = 3 bins per stage, eta the index offsets, delta the dynamic range. V is 101 for age
 * (years) and 1 for gender (a value in about [0, 1]).
 */
export interface SsrNetStages {
  /** prob_stage_1..3: 3 probabilities each. */
  readonly probabilities: readonly [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
  /** stage1..3_delta_k: one value each. */
  readonly deltas: readonly [number, number, number];
  /** index_offset_stage1..3: 3 values each. */
  readonly offsets: readonly [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
}

/** The names of SSR-Net's nine outputs, in the order of SsrNetStages. */
export const SSR_NET_OUTPUTS = {
  probabilities: ['prob_stage_1', 'prob_stage_2', 'prob_stage_3'],
  deltas: ['stage1_delta_k', 'stage2_delta_k', 'stage3_delta_k'],
  offsets: ['index_offset_stage1', 'index_offset_stage2', 'index_offset_stage3'],
} as const;

/** Merges the stages into one value; see the formula above. `range` is V. */
export function ssrNetValue(stages: SsrNetStages, range: number): number {
  const bins = 3;
  let value = 0;
  let denominator = 1;
  for (let k = 0; k < 3; k++) {
    denominator *= bins * (1 + stages.deltas[k]!);
    const p = stages.probabilities[k]!;
    const eta = stages.offsets[k]!;
    let sum = 0;
    for (let i = 0; i < bins; i++) sum += (i + eta[i]!) * p[i]!;
    value += sum / denominator;
  }
  return value * range;
}
