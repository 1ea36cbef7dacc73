import type { ImageConfig } from '../config/imageConfig.js';
import type { FrameDecodeOptions } from '../image/frameImage.js';
import type { PixelSize } from '../image/jpegReduction.js';

/** What the stages that read a frame need from its pixels. */
export interface FrameConsumers {
  /** The detector's input size: a frame is never decoded smaller than this. */
  readonly modelInput: PixelSize;
  /**
   * Whether anything reads the frame's own pixels beyond the model input: crops (faces, crop
   * classifier) or drawings (overlay, annotated files), which lose detail or need the full-size
   * geometry.
   */
  readonly fullResolution: boolean;
}

/**
 * How much larger than the model input a reduced decode stays, per side. Measured on the six
 * face-api sample photos (1920 px wide, 22 persons) with the QDQ COCO detector (300x300,
 * stretch): decoding at 1/4 (480 px wide, just above the input) lowered person scores by one
 * to two quantization steps (0.88 -> 0.79, 0.79 -> 0.66; a 0.58 fell to 0.50, the default
 * threshold), as much as a full decode downsampled with INTER_AREA does: the model scores the
 * sharper, aliased bilinear downsample of a full frame higher than any smoothed one. At 1/2
 * (twice the input or more) scores stayed within one step (0.79 -> 0.73) with the same boxes,
 * and the decode still takes about half the time. 1/4 and 1/8 are used for larger frames.
 */
export const REDUCED_DECODE_MARGIN = 2;

/**
 * How the pipeline decodes its frames: always within the configured limits, and with
 * `jpeg_reduced_decode: auto` at reduced scale, down to REDUCED_DECODE_MARGIN times the model
 * input, when nothing needs the full resolution. Pure.
 */
export function frameDecodeOptions(
  image: ImageConfig,
  consumers: FrameConsumers,
): FrameDecodeOptions {
  const limits = { maxSide: image.maxSide, maxPixels: image.maxPixels };
  const reduce = image.jpegReducedDecode === 'auto' && !consumers.fullResolution;
  if (!reduce) return { limits };
  const { width, height } = consumers.modelInput;
  return {
    limits,
    reduceTo: { width: width * REDUCED_DECODE_MARGIN, height: height * REDUCED_DECODE_MARGIN },
  };
}
