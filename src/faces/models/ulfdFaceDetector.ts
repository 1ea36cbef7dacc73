import type { FrameImage } from '../../image/frameImage.js';
import { warpAffine } from '../../image/warpAffine.js';
import type { ModelSession } from '../../inference/modelSession.js';
import { float32Data } from '../../inference/tensorData.js';
import { clampBox, type Box } from '../../postprocess/box.js';
import { writePlanar } from '../planarTensor.js';
import { fittedView, type RegionPlan } from '../regionClusters.js';
import { mapNormalizedBox, regionMapping, warpMatrix } from '../regionMapping.js';
import { decodeUlfd, ULFD_INPUT, type UlfdPriorBoxes } from '../ulfdDecoder.js';
import { ulfdBoxDecoder, ulfdPriors } from '../ulfdPriors.js';
import type { DetectRegion, FaceDetectOptions, FaceDetectorModel } from './faceModelTypes.js';

/** Grey level of the border around a fitted region: 127 becomes 0 after (x-127)/128. */
const BORDER = 127;
/**
 * A region is shown at least this tall (unless 320x240 showed it smaller): a face, about a
 * seventh of a standing person, then spans 20 pixels or more, above the model's smallest priors
 * (10 and 16 pixels).
 */
const MIN_REGION_HEIGHT = 160;
/**
 * The detector also sees this fraction of a region's height left and right of it: about half the
 * width of a standing person's face, so that a face whose centre lies in the region (what counts,
 * see FaceStage) is seen whole where the person box cuts through it. Without it, two such faces
 * were lost on crowd frames; a wider margin (0.1, 0.15) found fewer faces and more false ones.
 */
const SIDE_CONTEXT = 0.06;
/** Input sides are rounded up to this, so that a stream of person boxes reuses a few shapes. */
const SIDE_STEP = 16;

/**
 * ULFD RFB-320 (MIT). The whole frame is stretched onto 320x240, as the model was trained, and
 * run through the exported graph. A person region runs through the any-size form `models
 * prepare` cuts from it (uint8 RGB input, priors and box decoding in TypeScript,
 * src/faces/ulfdPriors.ts): the region itself, with SIDE_CONTEXT beside it, at the scale a
 * 320x240 input fitted around it gives, except that small people are enlarged only until they
 * are MIN_REGION_HEIGHT pixels tall instead of 240. Earlier versions showed the whole 4:3 view
 * around a person: for a standing person that is three times the pixels, and the faces found in
 * the surroundings (people the object detector missed) were not the person's. Measured over 25
 * photos and crowd frames with 193 known faces: 158 found against 161 (the difference: faces of
 * people with no person box of their own), of the faces inside person boxes 134 of 137 either
 * way, 2 false faces either way; face detection took 28% less time on crowd frames.
 */
/** What either form of the model gives, ready for decodeUlfd. */
interface UlfdOutputs {
  readonly scores: Float32Array;
  readonly boxes: Float32Array | UlfdPriorBoxes;
}

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
    return inputFor(withContext(region));
  }

  async detect(
    image: FrameImage,
    region: DetectRegion,
    options: FaceDetectOptions,
  ): Promise<{ box: Box; score: number }[]> {
    const frame = region.kind === 'frame';
    const shown = frame ? region.box : withContext(region.box);
    const { width: W, height: H } = frame ? ULFD_INPUT : inputFor(shown);
    const mapping = regionMapping(shown, W, H, frame ? 'stretch' : 'fit');
    // The pixels are this call's own copy: process() may run for several frames at once, and a
    // run reads its input after awaiting.
    const pixels = warpAffine(image, warpMatrix(mapping), {
      width: W,
      height: H,
      channels: 'rgb',
      borderValue: BORDER,
    });
    const { scores, boxes } = frame
      ? await this.runFrame(pixels)
      : await this.runRegion(pixels, W, H);
    const faces: { box: Box; score: number }[] = [];
    for (const f of decodeUlfd(scores, boxes, options)) {
      const box = clampBox(mapNormalizedBox(mapping, f.box), image.width, image.height);
      if (box.xmax > box.xmin && box.ymax > box.ymin) faces.push({ box, score: f.score });
    }
    return faces;
  }

  /** The exported graph: planar RGB (x-127)/128 in, its own box decoding. */
  private async runFrame(pixels: Uint8Array): Promise<UlfdOutputs> {
    const { width, height } = ULFD_INPUT;
    const input = new Float32Array(3 * width * height);
    writePlanar(pixels, 3, [127, 127, 127], [128, 128, 128], input, 0);
    const out = await this.frameSession.run({
      input: { type: 'float32', data: input, dims: [1, 3, height, width] },
    });
    return { scores: float32Data(out.scores, 'scores'), boxes: float32Data(out.boxes, 'boxes') };
  }

  /** The any-size form: the RGB bytes in (it normalises them), offsets against our priors out. */
  private async runRegion(pixels: Uint8Array, width: number, height: number): Promise<UlfdOutputs> {
    const out = await this.regionSession.run({
      input: { type: 'uint8', data: pixels, dims: [1, height, width, 3] },
    });
    return {
      scores: float32Data(out.scores, 'scores'),
      boxes: ulfdBoxDecoder(float32Data(out.locations, 'locations'), this.priorsFor(width, height)),
    };
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

/** The region and SIDE_CONTEXT of its height left and right of it. */
function withContext(box: Box): Box {
  const side = SIDE_CONTEXT * (box.ymax - box.ymin);
  return { ...box, xmin: box.xmin - side, xmax: box.xmax + side };
}

/**
 * The input a shown region gets: the scale of a 320x240 input fitted around it, small regions
 * enlarged until MIN_REGION_HEIGHT tall, sides rounded up to SIDE_STEP.
 */
function inputFor(shown: Box): RegionPlan {
  const view = fittedView(shown, ULFD_INPUT);
  const viewHeight = view.ymax - view.ymin;
  const fit = Math.min(ULFD_INPUT.width / (view.xmax - view.xmin), ULFD_INPUT.height / viewHeight);
  const scale = Math.min(fit, Math.max(1, MIN_REGION_HEIGHT / viewHeight));
  return {
    width: Math.min(ULFD_INPUT.width, roundUp((shown.xmax - shown.xmin) * scale)),
    height: Math.min(ULFD_INPUT.height, roundUp((shown.ymax - shown.ymin) * scale)),
    scale,
  };
}

function roundUp(side: number): number {
  return Math.max(SIDE_STEP, Math.ceil(side / SIDE_STEP) * SIDE_STEP);
}
