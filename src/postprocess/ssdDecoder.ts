import type { Box } from './box.js';
import { nonMaxSuppression } from './nms.js';

/** How SSD box encodings are decoded against the anchors (TFLite_Detection_PostProcess). */
export interface SsdBoxCoding {
  yScale: number;
  xScale: number;
  hScale: number;
  wScale: number;
}

/** The detector's post-processing settings. Defaults come from the model; see {@link SsdDecoder}. */
export interface SsdDecoderOptions {
  /**
   * 'class-agnostic' (the model's own "fast" NMS: one NMS over each box's best class) or
   * 'per-class' (NMS within each class, then the best overall). Default 'class-agnostic'.
   */
  nms: 'class-agnostic' | 'per-class';
  /** IoU above which overlapping boxes are suppressed. Default 0.6 (the model's). */
  iouThreshold: number;
  /** Minimum score of a reported detection, in [0, 1]. Default 0.5. */
  scoreThreshold: number;
  /** At most this many detections per frame. Default 20 (the model's). */
  maxDetections: number;
  /** With per-class NMS, at most this many boxes of one class. Default 100 (the model's). */
  detectionsPerClass: number;
}

/** One decoded detection in normalised [0, 1] model-input coordinates. */
export interface SsdDetection {
  /** Class index without the background column: index into the labels file. */
  classIndex: number;
  score: number;
  box: Box;
}

/**
 * Turns raw SSD outputs into detections: anchor decoding with the model's stored anchors and
 * scales, then NMS. Pure; holds only the anchors.
 */
export class SsdDecoder {
  readonly numAnchors: number;

  constructor(
    private readonly anchors: Float32Array,
    private readonly coding: SsdBoxCoding,
    readonly options: SsdDecoderOptions,
  ) {
    if (anchors.length % 4 !== 0 || anchors.length === 0) {
      throw new RangeError(`'anchors' must hold (yc, xc, h, w) rows, got ${anchors.length} values`);
    }
    checkUnit('iouThreshold', options.iouThreshold);
    checkUnit('scoreThreshold', options.scoreThreshold);
    if (!Number.isInteger(options.maxDetections) || options.maxDetections < 1) {
      throw new RangeError(`'maxDetections' must be an integer >= 1, got ${options.maxDetections}`);
    }
    this.numAnchors = anchors.length / 4;
  }

  /** A copy of this decoder with some options changed (e.g. a new threshold at run time). */
  withOptions(options: Partial<SsdDecoderOptions>): SsdDecoder {
    return new SsdDecoder(this.anchors, this.coding, { ...this.options, ...options });
  }

  /**
   * @param boxEncodings [numAnchors * 4] (ty, tx, th, tw) per anchor
   * @param scores [numAnchors * numColumns], column 0 is background
   */
  decode(boxEncodings: Float32Array, scores: Float32Array): SsdDetection[] {
    const n = this.numAnchors;
    if (boxEncodings.length !== n * 4) {
      throw new RangeError(`box encodings must hold ${n * 4} values, got ${boxEncodings.length}`);
    }
    if (scores.length % n !== 0 || scores.length / n < 2) {
      throw new RangeError(
        `scores must hold ${n} rows of background + classes, got ${scores.length} values`,
      );
    }
    const columns = scores.length / n;
    const { options } = this;
    if (options.nms === 'class-agnostic') {
      const best = new Float32Array(n);
      const bestClass = new Int32Array(n);
      for (let i = 0, row = 0; i < n; i++, row += columns) {
        let score = -Infinity;
        let at = row + 1;
        for (let k = row + 1, end = row + columns; k < end; k++) {
          const s = scores[k]!;
          if (s > score) {
            score = s;
            at = k;
          }
        }
        best[i] = score;
        bestClass[i] = at - row - 1;
      }
      return this.decodeBest(boxEncodings, best, bestClass);
    }

    const boxAt = this.boxCache(boxEncodings);
    const all: SsdDetection[] = [];
    const classScores = new Float32Array(n);
    for (let c = 1; c < columns; c++) {
      for (let i = 0; i < n; i++) classScores[i] = scores[i * columns + c] ?? 0;
      const kept = nonMaxSuppression(boxAt, classScores, {
        ...this.nmsOptions(),
        maxDetections: options.detectionsPerClass,
      });
      for (const i of kept)
        all.push({ classIndex: c - 1, score: classScores[i] ?? 0, box: boxAt(i) });
    }
    all.sort((a, b) => b.score - a.score);
    return all.slice(0, options.maxDetections);
  }

  /**
   * Class-agnostic NMS (the model's "fast" NMS) from each anchor's best class, as the model's
   * 'best_scores' and 'best_classes' outputs give it: the same detections as decode() on the
   * whole score matrix, without the matrix.
   *
   * @param bestScores [numAnchors] each anchor's highest class score
   * @param bestClasses [numAnchors] that class, without the background column
   */
  decodeBest(
    boxEncodings: Float32Array,
    bestScores: Float32Array,
    bestClasses: Int32Array,
  ): SsdDetection[] {
    const n = this.numAnchors;
    if (this.options.nms !== 'class-agnostic') {
      throw new RangeError(`per-class NMS needs every class's score: use decode()`);
    }
    if (boxEncodings.length !== n * 4) {
      throw new RangeError(`box encodings must hold ${n * 4} values, got ${boxEncodings.length}`);
    }
    if (bestScores.length !== n || bestClasses.length !== n) {
      throw new RangeError(
        `best scores and classes must hold ${n} values each, got ${bestScores.length} and ${bestClasses.length}`,
      );
    }
    const boxAt = this.boxCache(boxEncodings);
    return nonMaxSuppression(boxAt, bestScores, this.nmsOptions()).map((i) => ({
      classIndex: bestClasses[i] ?? 0,
      score: bestScores[i] ?? 0,
      box: boxAt(i),
    }));
  }

  /**
   * NMS settings. The model's own candidate threshold is ~1e-8; ours is the user's score
   * threshold, which gives the same result for every detection at or above it and skips
   * decoding the rest.
   */
  private nmsOptions(): { iouThreshold: number; scoreThreshold: number; maxDetections: number } {
    const { iouThreshold, scoreThreshold, maxDetections } = this.options;
    return { iouThreshold, scoreThreshold, maxDetections };
  }

  /** Box i, decoded on first use: NMS looks at the few boxes above the threshold only. */
  private boxCache(encodings: Float32Array): (i: number) => Box {
    const boxes = new Array<Box | undefined>(this.numAnchors);
    return (i) => (boxes[i] ??= this.decodeBox(encodings, i));
  }

  private decodeBox(encodings: Float32Array, i: number): Box {
    const { anchors, coding } = this;
    const yc =
      ((encodings[4 * i] ?? 0) / coding.yScale) * (anchors[4 * i + 2] ?? 0) + (anchors[4 * i] ?? 0);
    const xc =
      ((encodings[4 * i + 1] ?? 0) / coding.xScale) * (anchors[4 * i + 3] ?? 0) +
      (anchors[4 * i + 1] ?? 0);
    const halfH =
      0.5 * Math.exp((encodings[4 * i + 2] ?? 0) / coding.hScale) * (anchors[4 * i + 2] ?? 0);
    const halfW =
      0.5 * Math.exp((encodings[4 * i + 3] ?? 0) / coding.wScale) * (anchors[4 * i + 3] ?? 0);
    return { ymin: yc - halfH, xmin: xc - halfW, ymax: yc + halfH, xmax: xc + halfW };
  }
}

function checkUnit(name: string, value: number): void {
  if (!(value >= 0 && value <= 1))
    throw new RangeError(`'${name}' must be in [0, 1], got ${value}`);
}
