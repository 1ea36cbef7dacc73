import type { Mat } from './cv.js';
import { decodeCompressed, decodeCompressedAsync } from './decodeCompressed.js';
import { decodeImage } from './decodeImage.js';
import { cropMat } from './cropMat.js';
import { toModelInput, type ModelInput, type ModelInputOptions } from './toModelInput.js';
import { toModelTensor, type ModelTensor, type ModelTensorOptions } from './toModelTensor.js';
import type { Box } from '../postprocess/box.js';
import type { CompressedImage, Image } from '../messages/types.js';

/** A frame's pixels: raw or compressed message content. */
export type ImageMessage =
  | { readonly kind: 'raw'; readonly image: Image }
  | { readonly kind: 'compressed'; readonly image: CompressedImage };

/**
 * One decoded frame (8-bit BGR), owned by whoever decoded it: every stage reads from it and
 * close() releases the native buffer once the frame is done. Keeps OpenCV inside src/image/.
 */
export class FrameImage {
  private released = false;

  constructor(private readonly mat: Mat) {}

  get width(): number {
    return this.mat.cols;
  }

  get height(): number {
    return this.mat.rows;
  }

  /** The model input (resized, channel order, packed bytes) and its mapping back to pixels. */
  modelInput(options: ModelInputOptions): ModelInput {
    return toModelInput(this.bgr(), options);
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

/** Decodes a raw or compressed image message. Throws ImageError for bad input. */
export function decodeFrameImage(message: ImageMessage): FrameImage {
  return new FrameImage(
    message.kind === 'raw' ? decodeImage(message.image) : decodeCompressed(message.image),
  );
}

/**
 * decodeFrameImage with JPEG/PNG decoding on libuv's thread pool, so that it overlaps with
 * inference of the previous frame (onnxruntime-node runs inference on the main thread). Raw
 * images convert in well under a millisecond and stay on the calling thread.
 */
export async function decodeFrameImageAsync(message: ImageMessage): Promise<FrameImage> {
  return new FrameImage(
    message.kind === 'raw'
      ? decodeImage(message.image)
      : await decodeCompressedAsync(message.image),
  );
}
