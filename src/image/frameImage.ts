import type { Mat } from './cv.js';
import { decodeCompressed, decodeCompressedAsync } from './decodeCompressed.js';
import { decodeImage } from './decodeImage.js';
import { cropMat } from './cropMat.js';
import type { ImageLimits } from './imageLimits.js';
import type { JpegReduction, PixelSize } from './jpegReduction.js';
import { transformToFullSource } from './modelInputTransform.js';
import { toModelInput, type ModelInput, type ModelInputOptions } from './toModelInput.js';
import { toModelTensor, type ModelTensor, type ModelTensorOptions } from './toModelTensor.js';
import type { Box } from '../postprocess/box.js';
import type { CompressedImage, Image } from '../messages/types.js';

/** A frame's pixels: raw or compressed message content. */
export type ImageMessage =
  | { readonly kind: 'raw'; readonly image: Image }
  | { readonly kind: 'compressed'; readonly image: CompressedImage };

/** The full size of a frame that was decoded at reduced scale. */
export interface ReducedFrameSource {
  readonly width: number;
  readonly height: number;
  /** Source pixel = decoded pixel x reduction. */
  readonly reduction: JpegReduction;
}

/**
 * One decoded frame (8-bit BGR), owned by whoever decoded it: every stage reads from it and
 * close() releases the native buffer once the frame is done. Keeps OpenCV inside src/image/.
 *
 * A frame may be decoded at reduced scale (a large JPEG for a small model, see
 * decodeFrameImageAsync's `reduceTo`): then `width`/`height`, `bgr()` and `cropTensor` are in
 * decoded pixels, while `sourceWidth`/`sourceHeight` and the transform of `modelInput` are in
 * the pixels of the full-size source, where results are reported. Only callers that need no
 * full-resolution pixels (no crops, no overlays) ask for a reduced decode.
 */
export class FrameImage {
  private released = false;
  private readonly source: ReducedFrameSource;

  /** `source`: the full size when `mat` was decoded at reduced scale; default: `mat`'s own. */
  constructor(
    private readonly mat: Mat,
    source?: ReducedFrameSource,
  ) {
    this.source = source ?? { width: mat.cols, height: mat.rows, reduction: 1 };
  }

  /** Width of the decoded pixels. */
  get width(): number {
    return this.mat.cols;
  }

  /** Height of the decoded pixels. */
  get height(): number {
    return this.mat.rows;
  }

  /** Width of the full-size source image (equals `width` unless decoded at reduced scale). */
  get sourceWidth(): number {
    return this.source.width;
  }

  /** Height of the full-size source image (equals `height` unless decoded at reduced scale). */
  get sourceHeight(): number {
    return this.source.height;
  }

  /** 1, or the factor the frame was reduced by when decoded. */
  get reduction(): JpegReduction {
    return this.source.reduction;
  }

  /**
   * The model input (resized, channel order, packed bytes) and its mapping back to pixels of the
   * full-size source.
   */
  modelInput(options: ModelInputOptions): ModelInput {
    const input = toModelInput(this.bgr(), options);
    if (this.source.reduction === 1) return input;
    return {
      data: input.data,
      transform: transformToFullSource(
        input.transform,
        this.source.reduction,
        this.source.width,
        this.source.height,
      ),
    };
  }

  /** A crop of the frame (pixels of `box`, clipped to the image) as a normalised float tensor. */
  cropTensor(box: Box, options: ModelTensorOptions): ModelTensor {
    const crop = cropMat(this.bgr(), box);
    try {
      return toModelTensor(crop, options);
    } finally {
      crop.release();
    }
  }

  /** The underlying BGR Mat, for code inside src/image/. Valid until close(). */
  bgr(): Mat {
    if (this.released) throw new Error('frame image used after close()');
    return this.mat;
  }

  /** Releases the pixels. Idempotent. */
  close(): void {
    if (this.released) return;
    this.released = true;
    this.mat.release();
  }
}

/** Options of decodeFrameImage and decodeFrameImageAsync. */
export interface FrameDecodeOptions {
  /** The largest frame accepted, checked before anything is allocated. Default DEFAULT_IMAGE_LIMITS. */
  readonly limits?: ImageLimits;
  /**
   * decodeFrameImageAsync only: decode a compressed JPEG at 1/2, 1/4 or 1/8 scale when it stays
   * at least this large (see FrameImage on what a reduced frame offers). Default: full size.
   */
  readonly reduceTo?: PixelSize;
}

/**
 * Decodes a raw or compressed image message at full size. Throws ImageError for bad input,
 * IMAGE_TOO_LARGE for a frame over the limits.
 */
export function decodeFrameImage(
  message: ImageMessage,
  options: FrameDecodeOptions = {},
): FrameImage {
  const limits = { limits: options.limits };
  return new FrameImage(
    message.kind === 'raw'
      ? decodeImage(message.image, limits)
      : decodeCompressed(message.image, limits),
  );
}

/**
 * decodeFrameImage with JPEG/PNG decoding on libuv's thread pool, so that it overlaps with
 * inference of the previous frame (onnxruntime-node runs inference on the main thread). Raw
 * images convert in well under a millisecond and stay on the calling thread.
 */
export async function decodeFrameImageAsync(
  message: ImageMessage,
  options: FrameDecodeOptions = {},
): Promise<FrameImage> {
  if (message.kind === 'raw') {
    return new FrameImage(decodeImage(message.image, { limits: options.limits }));
  }
  const decoded = await decodeCompressedAsync(message.image, options);
  return new FrameImage(decoded.mat, {
    width: decoded.sourceWidth,
    height: decoded.sourceHeight,
    reduction: decoded.reduction,
  });
}
