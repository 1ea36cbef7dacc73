/**
 * The factors by which libjpeg can decode a JPEG at reduced size through DCT scaling (OpenCV's
 * IMREAD_REDUCED_COLOR_2/4/8): fewer pixels are computed, not computed and then thrown away.
 */
export type JpegReduction = 1 | 2 | 4 | 8;

const FACTORS: readonly JpegReduction[] = [8, 4, 2];

/** A width and height in pixels. */
export interface PixelSize {
  readonly width: number;
  readonly height: number;
}

/**
 * The size libjpeg decodes a `source`-sized JPEG to at 1/`factor` scale: each side rounded up
 * (jdmaster.c, jdiv_round_up).
 */
export function reducedSize(source: PixelSize, factor: JpegReduction): PixelSize {
  return { width: Math.ceil(source.width / factor), height: Math.ceil(source.height / factor) };
}

/**
 * The largest reduction that keeps the decoded image at least `atLeast` on both sides, so a
 * model that resizes the frame to `atLeast` still samples it down, never up. 1 when even 1/2
 * would be smaller. Pure.
 *
 * @throws RangeError for sizes that are not positive integers.
 */
export function chooseJpegReduction(source: PixelSize, atLeast: PixelSize): JpegReduction {
  for (const [name, value] of [
    ['source.width', source.width],
    ['source.height', source.height],
    ['atLeast.width', atLeast.width],
    ['atLeast.height', atLeast.height],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`'${name}' must be a positive integer, got ${value}`);
    }
  }
  for (const factor of FACTORS) {
    const size = reducedSize(source, factor);
    if (size.width >= atLeast.width && size.height >= atLeast.height) return factor;
  }
  return 1;
}
