import type { FrameImage } from '../../image/frameImage.js';
import { warpAffine } from '../../image/warpAffine.js';
import type { ModelSession } from '../../inference/modelSession.js';
import { float32Data } from '../../inference/tensorData.js';
import { clampBox, type Box } from '../../postprocess/box.js';
import { writePlanar } from '../planarTensor.js';
import { fittedView, type RegionPlan } from '../regionClusters.js';
import { mapNormalizedBox, regionMapping, warpMatrix } from '../regionMapping.js';
import { decodeUlfd, ULFD_INPUT } from '../ulfdDecoder.js';
import { decodeUlfdLocations, ulfdPriors } from '../ulfdPriors.js';
import type { DetectRegion, FaceDetectOptions, FaceDetectorModel } from './faceModelTypes.js';

/** Grey level of the border around a fitted region: 127 becomes 0 after (x-127)/128. */
const BORDER = 127;
/**
 * A person's view is shown at least this tall (unless 320x240 showed it smaller): a face, about a
 * seventh of a standing person, then spans 20 pixels or more, above the model's smallest priors
 * (10 and 16 pixels). 120 and 96 measured no faster (the rest of the branch dominates there).
 */
const MIN_REGION_HEIGHT = 160;
/** Input sides are rounded up to this, so that a stream of person boxes reuses a few shapes. */
const SIDE_STEP = 16;

/**
 * ULFD RFB-320 (MIT), in the any-size form `models prepare` cuts from it (priors and box
 * decoding in TypeScript, src/faces/ulfdPriors.ts). The whole frame is stretched onto 320x240,
 * as the model was trained. A person region is shown with the same surroundings a 320x240 input
 * showed (its fitted view: faces of neighbours the object detector missed are found there too),
 * at the same scale, except that small people are enlarged only until the view is
 * MIN_REGION_HEIGHT pixels tall instead of 240: in crowds most people are small, and their
 * inputs were up to 5x enlarged. Measured on crowd frames (4.7 people a frame, 0.7 faces):
 * replay with faces at 48-56% of detector-only against 37-40%, the same faces found. RGB
 * (x-127)/128.
 */
export class UlfdFaceDetector implements FaceDetectorModel {
  private readonly priors = new Map<string, Float32Array>();

  /**
   * @param frameSession the exported 320x240 graph, for whole frames (its own box decoding, so
   *   whole-frame results stay bit for bit what they were)
   * @param regionSession the any-size form, for person regions
   */
  constructor(
    private readonly frameSession: ModelSession,
    private readonly regionSession: ModelSession,
  ) {}

  plan(region: Box): RegionPlan {
    const box = fittedView(region, ULFD_INPUT);
    const w = box.xmax - box.xmin;
    const h = box.ymax - box.ymin;
    const fit = Math.min(ULFD_INPUT.width / w, ULFD_INPUT.height / h);
    const scale = Math.min(fit, Math.max(1, MIN_REGION_HEIGHT / h));
    return {
      width: Math.min(ULFD_INPUT.width, roundUp(w * scale)),
      height: Math.min(ULFD_INPUT.height, roundUp(h * scale)),
      scale,
    };
  }

  async detect(
    image: FrameImage,
    region: DetectRegion,
    options: FaceDetectOptions,
  ): Promise<{ box: Box; score: number }[]> {
    const { width: W, height: H } = region.kind === 'frame' ? ULFD_INPUT : this.plan(region.box);
    const shown = region.kind === 'frame' ? region.box : fittedView(region.box, ULFD_INPUT);
    const mapping = regionMapping(shown, W, H, region.kind === 'frame' ? 'stretch' : 'fit');
    // One input per call: process() may run for several frames at once, and a run reads its
    // input after awaiting, so a buffer shared between calls would mix frames.
    const input = new Float32Array(3 * W * H);
    const pixels = warpAffine(image, warpMatrix(mapping), {
      width: W,
      height: H,
      channels: 'rgb',
      borderValue: BORDER,
    });
    writePlanar(pixels, 3, [127, 127, 127], [128, 128, 128], input, 0);
    const feeds = { input: { type: 'float32' as const, data: input, dims: [1, 3, H, W] } };
    const out =
      region.kind === 'frame'
        ? await this.frameSession.run(feeds)
        : await this.regionSession.run(feeds);
    const boxes =
      region.kind === 'frame'
        ? float32Data(out.boxes, 'boxes')
        : decodeUlfdLocations(float32Data(out.locations, 'locations'), this.priorsFor(W, H));
    const found = decodeUlfd(float32Data(out.scores, 'scores'), boxes, options);
    const faces: { box: Box; score: number }[] = [];
    for (const f of found) {
      const box = clampBox(mapNormalizedBox(mapping, f.box), image.width, image.height);
      if (box.xmax > box.xmin && box.ymax > box.ymin) faces.push({ box, score: f.score });
    }
    return faces;
  }

  private priorsFor(width: number, height: number): Float32Array {
    const key = `${width}x${height}`;
    let priors = this.priors.get(key);
    if (priors === undefined) {
      priors = ulfdPriors(width, height);
      this.priors.set(key, priors);
    }
    return priors;
  }
}

function roundUp(side: number): number {
  return Math.max(SIDE_STEP, Math.ceil(side / SIDE_STEP) * SIDE_STEP);
}
