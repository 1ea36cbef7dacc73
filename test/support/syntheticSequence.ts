import type { Mat } from '../../src/image/cv.js';
import { composeFrame } from '../../src/image/composeFrame.js';
import { matToCompressedImage } from '../../src/image/matToCompressedImage.js';
import type { Box } from '../../src/postprocess/box.js';
import type { CameraFrame } from '../../src/sources/cameraFrame.js';
import type { MotObject } from '../../src/tracking/motMetrics.js';

/** An object cut from a real photo, moving in a straight line at constant speed. */
export interface MovingObject {
  /** Ground-truth id. */
  readonly id: string;
  readonly sprite: Mat;
  /** Size in the frame, pixels. */
  readonly width: number;
  readonly height: number;
  /** Top-left corner at the first and at the last frame. */
  readonly from: readonly [number, number];
  readonly to: readonly [number, number];
  /** The sprite to paste in frame `i` instead of `sprite` (e.g. with the face covered). */
  readonly spriteAt?: (i: number) => Mat;
}

/** A synthetic camera: objects pasted (in list order: later ones in front) onto a real photo. */
export interface SequenceSpec {
  readonly name: string;
  readonly background: Mat;
  readonly fps: number;
  readonly frames: number;
  readonly objects: readonly MovingObject[];
  /** Frame size. Default 640x480. */
  readonly width?: number;
  readonly height?: number;
}

export interface SyntheticFrame {
  readonly frame: CameraFrame;
  /** The paste rectangles of the objects at least MIN_VISIBLE visible. */
  readonly truth: MotObject[];
}

/**
 * An object hidden behind others (or outside the frame) for more than this fraction of its box
 * is not in the ground truth: no detector can be asked to see it (MOTChallenge likewise leaves
 * out mostly occluded boxes).
 */
export const MIN_VISIBLE = 0.5;

/** Renders every frame as a JPEG CompressedImage with stamps from `fps`, and its ground truth. */
export function* syntheticSequence(spec: SequenceSpec): Generator<SyntheticFrame> {
  const width = spec.width ?? 640;
  const height = spec.height ?? 480;
  const topic = `/synthetic/${spec.name}/image_raw/compressed`;
  for (let i = 0; i < spec.frames; i++) {
    const t = spec.frames === 1 ? 0 : i / (spec.frames - 1);
    const boxes = spec.objects.map((o): Box => {
      const x = o.from[0] + (o.to[0] - o.from[0]) * t;
      const y = o.from[1] + (o.to[1] - o.from[1]) * t;
      return {
        xmin: Math.round(x),
        ymin: Math.round(y),
        xmax: Math.round(x) + o.width,
        ymax: Math.round(y) + o.height,
      };
    });
    const image = composeFrame(
      spec.background,
      { width, height },
      spec.objects.map((o, k) => ({ image: o.spriteAt?.(i) ?? o.sprite, box: boxes[k] as Box })),
    );
    const ns = BigInt(Math.round((i * 1e9) / spec.fps)) + 1_700_000_000_000_000_000n;
    const header = {
      stamp: { sec: Number(ns / 1_000_000_000n), nanosec: Number(ns % 1_000_000_000n) },
      frame_id: spec.name,
    };
    let message;
    try {
      message = matToCompressedImage(image, header, 'jpeg');
    } finally {
      image.release();
    }
    const truth: MotObject[] = [];
    boxes.forEach((box, k) => {
      const visible = visibleFraction(box, boxes.slice(k + 1), width, height);
      const o = spec.objects[k] as MovingObject;
      if (visible >= MIN_VISIBLE) truth.push({ id: o.id, box: clip(box, width, height) });
    });
    yield {
      frame: {
        topic,
        header,
        payload: { kind: 'compressed', image: message },
        logTime: ns,
        receivedAt: process.hrtime.bigint(),
        sequence: i,
      },
      truth,
    };
  }
}

/** Fraction of `box` inside the frame and not under any of `front`, on a 32x32 sample grid. */
function visibleFraction(box: Box, front: readonly Box[], width: number, height: number): number {
  const n = 32;
  let visible = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const x = box.xmin + ((a + 0.5) / n) * (box.xmax - box.xmin);
      const y = box.ymin + ((b + 0.5) / n) * (box.ymax - box.ymin);
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      if (front.some((f) => x >= f.xmin && x < f.xmax && y >= f.ymin && y < f.ymax)) continue;
      visible++;
    }
  }
  return visible / (n * n);
}

function clip(box: Box, width: number, height: number): Box {
  return {
    xmin: Math.max(0, box.xmin),
    ymin: Math.max(0, box.ymin),
    xmax: Math.min(width, box.xmax),
    ymax: Math.min(height, box.ymax),
  };
}
