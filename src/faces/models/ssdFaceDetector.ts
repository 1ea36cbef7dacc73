import type { FrameImage } from '../../image/frameImage.js';
import { warpAffine } from '../../image/warpAffine.js';
import type { ModelSession } from '../../inference/modelSession.js';
import { float32Data } from '../../inference/tensorData.js';
import { clampBox, type Box } from '../../postprocess/box.js';
import { FACE_SSD_MOBILENETV1 } from '../../models/tfjs/faceApiSsdMobilenetV1.js';
import { writePlanar } from '../planarTensor.js';
import { mapNormalizedBox, regionMapping, warpMatrix } from '../regionMapping.js';
import { fixedInputPlan } from '../regionClusters.js';
import { decodeSsdFaces } from '../ssdFaceDecoder.js';
import type { DetectRegion, FaceDetectOptions, FaceDetectorModel } from './faceModelTypes.js';

/**
 * face-api's SSD MobileNetV1 face detector (MIT), with face-api's input geometry: the region is
 * padded with black at the bottom or right to a square, which is resized to 512x512 RGB 0..255.
 */
export class SsdFaceDetector implements FaceDetectorModel {
  /** A region is padded to a square, so it is fitted into the square input. */
  readonly plan = fixedInputPlan(FACE_SSD_MOBILENETV1.inputSize, FACE_SSD_MOBILENETV1.inputSize);

  constructor(private readonly session: ModelSession) {}

  async detect(
    image: FrameImage,
    region: DetectRegion,
    options: FaceDetectOptions,
  ): Promise<{ box: Box; score: number }[]> {
    const size = FACE_SSD_MOBILENETV1.inputSize;
    const { xmin, ymin, xmax, ymax } = region.box;
    const side = Math.max(xmax - xmin, ymax - ymin);
    const square = { xmin, ymin, xmax: xmin + side, ymax: ymin + side };
    const mapping = regionMapping(square, size, size, 'stretch');
    // One input per call: process() may run for several frames at once, and a run reads its
    // input after awaiting, so a buffer shared between calls would mix frames.
    const input = new Float32Array(3 * FACE_SSD_MOBILENETV1.inputSize ** 2);
    const pixels = warpAffine(image, warpMatrix(mapping), {
      width: size,
      height: size,
      channels: 'rgb',
      borderValue: 0,
    });
    // Black beyond the region too (a person box inside a larger image): face-api pads with zeros.
    writePlanar(pixels, 3, [0, 0, 0], [1, 1, 1], input, 0);
    blackOutside(input, size, (xmax - xmin) / side, (ymax - ymin) / side);
    const out = await this.session.run({
      input: { type: 'float32', data: input, dims: [1, 3, size, size] },
    });
    const found = decodeSsdFaces(
      float32Data(out[FACE_SSD_MOBILENETV1.outputs.scores], 'scores'),
      float32Data(out[FACE_SSD_MOBILENETV1.outputs.boxes], 'boxes'),
      side,
      side,
      {
        scoreThreshold: Math.min(options.scoreThreshold, 0.999),
        iouThreshold: options.iouThreshold,
        maxFaces: options.maxFaces,
      },
    );
    const faces: { box: Box; score: number }[] = [];
    for (const f of found) {
      const box = clampBox(mapNormalizedBox(mapping, f.box), image.width, image.height);
      if (box.xmax > box.xmin && box.ymax > box.ymin) faces.push({ box, score: f.score });
    }
    return faces;
  }
}

/** Zeroes the planar input right of `fx` and below `fy` (fractions of the side). */
function blackOutside(input: Float32Array, size: number, fx: number, fy: number): void {
  const x0 = Math.min(size, Math.ceil(fx * size));
  const y0 = Math.min(size, Math.ceil(fy * size));
  if (x0 >= size && y0 >= size) return;
  const plane = size * size;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < size; y++) {
      const row = c * plane + y * size;
      if (y >= y0) input.fill(0, row, row + size);
      else if (x0 < size) input.fill(0, row + x0, row + size);
    }
  }
}
