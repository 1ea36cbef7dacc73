import { assertBgrMat } from './assertBgrMat.js';
import cv from './cv.js';
import type { Mat } from './cv.js';
import {
  computeModelInputTransform,
  type ModelInputTransform,
  type ResizeMode,
} from './modelInputTransform.js';

/** Options of toModelInput. */
export interface ModelInputOptions {
  /** Model input width in pixels, integer in [1, 16384]. */
  readonly width: number;
  /** Model input height in pixels, integer in [1, 16384]. */
  readonly height: number;
  /** How the frame is fitted to the input; see ResizeMode. */
  readonly resize: ResizeMode;
  /** Channel order the model expects. Frames are BGR; 'rgb' swaps after resizing. */
  readonly channelOrder: 'rgb' | 'bgr';
  /** Grey level 0..255 of the letterbox padding. Default 0 (black). */
  readonly padValue?: number;
}

/** A frame resized for a model, and how to map the model's coordinates back to the frame. */
export interface ModelInput {
  /** height x width x 3 bytes, packed, channels in the requested order (HWC, uint8). */
  readonly data: Uint8Array;
  /** Maps normalised model-input coordinates to source pixels; see mapBoxToSource. */
  readonly transform: ModelInputTransform;
}

/**
 * Resizes a BGR frame (CV_8UC3) to a model's input size, bilinear, and returns its pixels as
 * packed HWC uint8 in the requested channel order. The frame is not modified or released.
 * Channels are swapped after resizing, where there are fewer pixels to touch.
 *
 * @throws TypeError for a Mat that is not CV_8UC3; RangeError for bad sizes or padValue.
 */
export function toModelInput(mat: Mat, options: ModelInputOptions): ModelInput {
  assertBgrMat(mat);
  const { channelOrder, padValue = 0 } = options;
  if (channelOrder !== 'rgb' && channelOrder !== 'bgr') {
    throw new RangeError(
      `'channelOrder' must be 'rgb' or 'bgr', got ${JSON.stringify(channelOrder)}`,
    );
  }
  if (!Number.isInteger(padValue) || padValue < 0 || padValue > 255) {
    throw new RangeError(`'padValue' must be an integer in [0, 255], got ${padValue}`);
  }
  const transform = computeModelInputTransform(mat.cols, mat.rows, options);
  const { content, inputWidth, inputHeight } = transform;

  // Intermediate Mats we create and release; `current` may be the caller's frame, never released.
  const owned: Mat[] = [];
  try {
    let current = mat;
    if (content.width !== mat.cols || content.height !== mat.rows) {
      current = mat.resize(content.height, content.width, 0, 0, cv.INTER_LINEAR);
      owned.push(current);
    }
    if (channelOrder === 'rgb') {
      current = current.cvtColor(cv.COLOR_BGR2RGB);
      owned.push(current);
    }
    if (content.width !== inputWidth || content.height !== inputHeight) {
      current = current.copyMakeBorder(
        content.y,
        inputHeight - content.height - content.y,
        content.x,
        inputWidth - content.width - content.x,
        cv.BORDER_CONSTANT,
        new cv.Vec3(padValue, padValue, padValue),
      );
      owned.push(current);
    }
    if (current === mat) {
      // getData refuses a region of interest; a copy is continuous and as cheap as getData.
      current = mat.copy();
      owned.push(current);
    }
    const bytes = current.getData();
    return { data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), transform };
  } finally {
    for (const m of owned) m.release();
  }
}
