import { iou, type Box } from './box.js';

/** Options of greedy non-maximum suppression. */
export interface NmsOptions {
  /** Boxes overlapping a kept box by more than this IoU are suppressed. In [0, 1]. */
  iouThreshold: number;
  /** Candidates scoring below this are ignored. */
  scoreThreshold: number;
  /** At most this many boxes are kept. */
  maxDetections: number;
}

/**
 * Greedy NMS over one set of candidates, with TFLite's semantics: candidates at or above the
 * score threshold are visited in decreasing score (ties by index), and a box is kept unless
 * its IoU with an already kept box exceeds the IoU threshold. Returns kept candidate indices
 * in decreasing score.
 */
export function nonMaxSuppression(
  boxes: (index: number) => Box,
  scores: ArrayLike<number>,
  options: NmsOptions,
): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if ((scores[i] ?? 0) >= options.scoreThreshold) candidates.push(i);
  }
  candidates.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  const kept: number[] = [];
  const keptBoxes: Box[] = [];
  for (const index of candidates) {
    if (kept.length >= options.maxDetections) break;
    const box = boxes(index);
    if (keptBoxes.every((k) => iou(k, box) <= options.iouThreshold)) {
      kept.push(index);
      keptBoxes.push(box);
    }
  }
  return kept;
}
