import type { FrameImage } from '../../image/frameImage.js';
import { warpAffine } from '../../image/warpAffine.js';
import type { ModelSession } from '../../inference/modelSession.js';
import { float32Data } from '../../inference/tensorData.js';
import { clampBox, type Box } from '../../postprocess/box.js';
import { writePlanar } from '../planarTensor.js';
import { mapNormalizedBox, regionMapping, warpMatrix } from '../regionMapping.js';
import { decodeUlfd, ULFD_INPUT } from '../ulfdDecoder.js';
import type { DetectRegion, FaceDetectOptions, FaceDetectorModel } from './faceModelTypes.js';

/** Grey level of the border around a fitted region: 127 becomes 0 after (x-127)/128. */
const BORDER = 127;

/**
 * ULFD RFB-320 (MIT): the whole frame is stretched onto its 320x240 input (as it was trained), a
 * person box is fitted with its aspect kept; RGB (x-127)/128.
 */
export class UlfdFaceDetector implements FaceDetectorModel {
  readonly inputSize = ULFD_INPUT;

  constructor(private readonly session: ModelSession) {}

  async detect(
    image: FrameImage,
    region: DetectRegion,
    options: FaceDetectOptions,
  ): Promise<{ box: Box; score: number }[]> {
    const { width: W, height: H } = ULFD_INPUT;
    const mapping = regionMapping(region.box, W, H, region.kind === 'frame' ? 'stretch' : 'fit');
    // One input per call: process() may run for several frames at once, and a run reads its
    // input after awaiting, so a buffer shared between calls would mix frames.
    const input = new Float32Array(3 * ULFD_INPUT.width * ULFD_INPUT.height);
    const pixels = warpAffine(image, warpMatrix(mapping), {
      width: W,
      height: H,
      channels: 'rgb',
      borderValue: BORDER,
    });
    writePlanar(pixels, 3, [127, 127, 127], [128, 128, 128], input, 0);
    const out = await this.session.run({
      input: { type: 'float32', data: input, dims: [1, 3, H, W] },
    });
    const found = decodeUlfd(
      float32Data(out.scores, 'scores'),
      float32Data(out.boxes, 'boxes'),
      options,
    );
    const faces: { box: Box; score: number }[] = [];
    for (const f of found) {
      const box = clampBox(mapNormalizedBox(mapping, f.box), image.width, image.height);
      if (box.xmax > box.xmin && box.ymax > box.ymin) faces.push({ box, score: f.score });
    }
    return faces;
  }
}
