import type { FacesConfig } from '../config/facesConfig.js';
import type { FrameImage } from '../image/frameImage.js';
import { warpAffine } from '../image/warpAffine.js';
import { float32Data, type TensorData } from '../inference/tensorData.js';
import { clampBox, type Box } from '../postprocess/box.js';
import { nonMaxSuppression } from '../postprocess/nms.js';
import { ALIGNED_FACE_SIZE, alignmentMatrix } from './faceAlignment.js';
import { FaceModels, type EmbeddingModelId } from './faceModels.js';
import {
  emptyFaceTimings,
  type FaceResult,
  type FaceTimings,
  type FiveLandmarks,
  type Gender,
} from './faceResult.js';
import { expandBox, faceCrop } from './cropBox.js';
import { l2Normalize } from './embeddingMath.js';
import { FaceGallery } from './gallery.js';
import { fivePointsFrom68, LANDMARK_VALUES, landmarksToSource } from './landmarks68.js';
import { writePlanar } from './planarTensor.js';
import { mapNormalizedBox, regionMapping, warpMatrix, type RegionFit } from './regionMapping.js';
import { SSR_NET_OUTPUTS, ssrNetValue } from './ssrNet.js';
import { decodeUlfd, ULFD_INPUT } from './ulfdDecoder.js';

/** Options of {@link FaceStage.create}. */
export interface FaceStageOptions {
  /** Folder with manifest.json and the prepared models. */
  readonly modelsDir: string;
  readonly config: FacesConfig;
  /** Intra-op threads of the embedding model (the others use 1). Default: all cores. */
  readonly threads?: number;
  /**
   * The gallery to match against. Default: `config.gallery` opened for this embedding model
   * (an empty gallery when the file does not exist; a corrupt or mismatched file throws).
   */
  readonly gallery?: FaceGallery;
}

/** Options of {@link FaceStage.process}. */
export interface FaceProcessOptions {
  /**
   * Person detections of this frame (source pixels): only their boxes are read, so any detection
   * type will do. With `faces.region: persons` faces are looked for only inside them (each grown
   * by 10%); ignored with `region: frame`.
   */
  readonly persons?: readonly { readonly box: Box }[];
  /** When given, filled with the time each stage took for this frame. */
  readonly timings?: FaceTimings;
  /** Overrides `faces.region` for this call (enrolment always looks at the whole image). */
  readonly region?: FacesConfig['region'];
  /**
   * Called with the embedding model's input: the aligned faces, planar RGB (x-127)/128,
   * `count` x 3 x 112 x 112 (for calibrating the int8 model; the array is not kept).
   */
  readonly onAligned?: (faces: Float32Array, count: number) => void;
}

/** Grey level of the border around a fitted region: 127 becomes 0 after (x-127)/128. */
const BORDER = 127;
/** Person boxes are grown by this fraction per side, so a head at the box edge is whole. */
const PERSON_MARGIN = 0.1;
/** Crop scale of the landmark model (the face box itself) and of SSR-Net (1.4x the box). */
const LANDMARK_CROP_SCALE = 1.0;
const ATTRIBUTE_CROP_SCALE = 1.4;
/**
 * SSR-Net input: a BGR crop normalised with torchvision's ImageNet constants in their RGB order
 * (as a model trained on cv2-loaded images would be). Chosen by experiment on 24 faces of our
 * test photos (23 women, 1 man): gender right on 20 with this input, on 14 with RGB crops and
 * the reference code's RGB normalisation, on 19 with BGR and channel-matched constants; raw
 * 0..255 input gives meaningless values. Ages were plausible (22-49) with every ImageNet variant.
 */
const SSR_MEAN = [0.485 * 255, 0.456 * 255, 0.406 * 255] as const;
const SSR_STD = [0.229 * 255, 0.224 * 255, 0.225 * 255] as const;

/**
 * The face branch for one frame: detection (ULFD RFB-320, threshold + NMS), 68-point landmarks
 * reduced to 5, similarity alignment to the ArcFace template, MobileFaceNet embedding (all faces
 * of a frame in one batch, L2-normalised), SSR-Net age and gender, gallery match.
 *
 * Owns its model sessions: close() when done. process() may run for several frames at once.
 */
export class FaceStage {
  private closed = false;

  private constructor(
    private readonly models: FaceModels,
    private config: FacesConfig,
    private gallery: FaceGallery,
  ) {}

  /** Loads the models (and the gallery; see FaceStageOptions.gallery). */
  static async create(options: FaceStageOptions): Promise<FaceStage> {
    const models = await FaceModels.load({
      modelsDir: options.modelsDir,
      attributes: options.config.attributes,
      embeddingForm: options.config.embeddingForm,
      ...(options.threads === undefined ? {} : { threads: options.threads }),
    });
    try {
      const gallery =
        options.gallery ?? (await FaceGallery.open(options.config.gallery, models.embeddingModel));
      return new FaceStage(models, options.config, gallery);
    } catch (error) {
      await models.close();
      throw error;
    }
  }

  /** Which embedding model this stage uses (what galleries must record). */
  get embeddingModel(): EmbeddingModelId {
    return this.models.embeddingModel;
  }

  /** Least cosine similarity of a gallery match (faces.match_threshold, as now configured). */
  get matchThreshold(): number {
    return this.config.matchThreshold;
  }

  /** Replaces the gallery (e.g. after enrolment); it must be for this embedding model. */
  setGallery(gallery: FaceGallery): void {
    const a = gallery.embeddingModel;
    const b = this.models.embeddingModel;
    if (a.name !== b.name || a.sha256 !== b.sha256 || a.dimension !== b.dimension) {
      throw new RangeError(
        `'gallery' is for embedding model ${a.name} (${a.sha256.slice(0, 12)}…), this stage uses ${b.name} (${b.sha256.slice(0, 12)}…)`,
      );
    }
    this.gallery = gallery;
  }

  /**
   * Changes thresholds at run time. `attributes` cannot be turned on if the stage was created
   * without them (the models are not loaded).
   */
  reconfigure(config: FacesConfig): void {
    if (config.attributes && this.models.age === undefined) {
      throw new RangeError(
        `'faces.attributes' cannot be turned on at run time: the stage was created without the age and gender models`,
      );
    }
    this.config = config;
  }

  /**
   * Finds the faces of one frame and describes each; plain data out. With `faces.region:
   * persons` only inside `options.persons` (an empty list finds nothing).
   *
   * @throws RangeError when `faces.region` is 'persons' and no person list is given.
   */
  async process(image: FrameImage, options: FaceProcessOptions = {}): Promise<FaceResult[]> {
    if (this.closed) throw new Error('face stage used after close()');
    const timings = options.timings ?? emptyFaceTimings();
    const config = this.config;

    let t = performance.now();
    const faces = await this.detect(
      image,
      options.region ?? config.region,
      options.persons,
      timings,
    );
    timings.detectMs = performance.now() - t;
    timings.faces = faces.length;
    if (faces.length === 0) return [];

    t = performance.now();
    const landmarks = await this.landmarks(
      image,
      faces.map((f) => f.box),
    );
    timings.landmarksMs = performance.now() - t;

    t = performance.now();
    const size = ALIGNED_FACE_SIZE;
    const aligned = new Float32Array(faces.length * 3 * size * size);
    landmarks.forEach((points, i) => {
      const pixels = warpAffine(image, alignmentMatrix(points), {
        width: size,
        height: size,
        channels: 'rgb',
      });
      writePlanar(pixels, 3, [127, 127, 127], [128, 128, 128], aligned, i * 3 * size * size);
    });
    timings.alignMs = performance.now() - t;
    options.onAligned?.(aligned, faces.length);

    t = performance.now();
    const embeddings = await this.embed(aligned, faces.length);
    timings.embeddingMs = performance.now() - t;

    t = performance.now();
    const attributes = config.attributes
      ? await this.attributes(
          image,
          faces.map((f) => f.box),
        )
      : undefined;
    timings.attributesMs = performance.now() - t;

    t = performance.now();
    const results = faces.map((face, i): FaceResult => {
      const match = this.gallery.match(embeddings[i]!, config.matchThreshold);
      const attribute = attributes?.[i];
      return {
        box: face.box,
        score: face.score,
        landmarks: landmarks[i]!,
        embedding: embeddings[i]!,
        identity: match.identity,
        identityScore: match.score,
        age: attribute?.age ?? Number.NaN,
        gender: attribute?.gender ?? 'unknown',
        genderScore: attribute?.genderScore ?? 0,
      };
    });
    timings.matchMs = performance.now() - t;
    return results;
  }

  /** Releases the model sessions. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.models.close();
  }

  private async detect(
    image: FrameImage,
    mode: FacesConfig['region'],
    persons: readonly { readonly box: Box }[] | undefined,
    timings: FaceTimings,
  ): Promise<{ box: Box; score: number }[]> {
    const { width, height } = image;
    let regions: { box: Box; fit: RegionFit }[];
    if (mode === 'frame') {
      regions = [{ box: { xmin: 0, ymin: 0, xmax: width, ymax: height }, fit: 'stretch' }];
    } else {
      if (persons === undefined) {
        throw new RangeError(
          `'persons' must be given when faces.region is 'persons' (the person detections of this frame)`,
        );
      }
      regions = persons
        .map((p) => expandBox(clampBox(p.box, width, height), PERSON_MARGIN, width, height))
        .filter((b) => b.xmax - b.xmin >= 1 && b.ymax - b.ymin >= 1)
        .map((box) => ({ box, fit: 'fit' as const }));
    }
    // One face-detector run per region (packing regions into shared runs was measured faster
    // but made V8's garbage collector abort in test processes; see faceResult's canvases).
    timings.regions = regions.length;
    timings.canvases = regions.length;
    const candidates: { box: Box; score: number }[] = [];
    const { width: W, height: H } = ULFD_INPUT;
    const input = new Float32Array(3 * W * H);
    for (const region of regions) {
      const mapping = regionMapping(region.box, W, H, region.fit);
      const pixels = warpAffine(image, warpMatrix(mapping), {
        width: W,
        height: H,
        channels: 'rgb',
        borderValue: BORDER,
      });
      writePlanar(pixels, 3, [127, 127, 127], [128, 128, 128], input, 0);
      const out = await this.models.detector.run({
        input: { type: 'float32', data: input, dims: [1, 3, H, W] },
      });
      const found = decodeUlfd(float32Data(out.scores, 'scores'), float32Data(out.boxes, 'boxes'), {
        scoreThreshold: this.config.scoreThreshold,
        iouThreshold: this.config.iouThreshold,
        maxFaces: this.config.maxFaces,
      });
      for (const f of found) {
        const box = clampBox(mapNormalizedBox(mapping, f.box), width, height);
        if (box.xmax > box.xmin && box.ymax > box.ymin) candidates.push({ box, score: f.score });
      }
    }
    if (regions.length <= 1) return candidates;
    // Overlapping person boxes see the same face twice: keep the best of each.
    const kept = nonMaxSuppression(
      (i) => candidates[i]!.box,
      candidates.map((c) => c.score),
      {
        scoreThreshold: 0,
        iouThreshold: this.config.iouThreshold,
        maxDetections: this.config.maxFaces,
      },
    );
    return kept.map((i) => candidates[i]!);
  }

  private async landmarks(image: FrameImage, boxes: readonly Box[]): Promise<FiveLandmarks[]> {
    const side = 64;
    const input = new Float32Array(boxes.length * side * side);
    const crops = boxes.map((box, i) => {
      const { crop, pixels } = squareFaceCrop(image, box, LANDMARK_CROP_SCALE, side, 'gray');
      writePlanar(pixels, 1, [0], [256], input, i * side * side);
      return crop;
    });
    const out = await this.models.landmarks.run({
      input: { type: 'float32', data: input, dims: [boxes.length, 1, side, side] },
    });
    const values = float32Data(out.output, 'output');
    return crops.map((crop, i) =>
      fivePointsFrom68(landmarksToSource(values, i * LANDMARK_VALUES, crop)),
    );
  }

  private async embed(aligned: Float32Array, count: number): Promise<Float32Array[]> {
    const size = ALIGNED_FACE_SIZE;
    const out = await this.models.embedding.run({
      input: { type: 'float32', data: aligned, dims: [count, 3, size, size] },
    });
    const values = float32Data(out.output, 'output');
    const dimension = values.length / count;
    return Array.from({ length: count }, (_, i) =>
      l2Normalize(values.subarray(i * dimension, (i + 1) * dimension)),
    );
  }

  private async attributes(
    image: FrameImage,
    boxes: readonly Box[],
  ): Promise<{ age: number; gender: Gender; genderScore: number }[]> {
    const age = this.models.age;
    const gender = this.models.gender;
    if (age === undefined || gender === undefined) return [];
    const side = 64;
    const plane = 3 * side * side;
    const input = new Float32Array(boxes.length * plane);
    boxes.forEach((box, i) => {
      const { pixels } = squareFaceCrop(image, box, ATTRIBUTE_CROP_SCALE, side, 'bgr');
      writePlanar(pixels, 3, SSR_MEAN, SSR_STD, input, i * plane);
    });
    const feeds = {
      input: { type: 'float32', data: input, dims: [boxes.length, 3, side, side] } as TensorData,
    };
    const [ageOut, genderOut] = [await age.run(feeds), await gender.run(feeds)];
    return boxes.map((_, i) => {
      const years = ssrNetValue(stagesOf(ageOut, i), 101);
      const g = Math.min(1, Math.max(0, ssrNetValue(stagesOf(genderOut, i), 1)));
      // SSR-Net's gender value is trained towards 1 for male, 0 for female (checked on our photos).
      return g >= 0.5
        ? { age: years, gender: 'male', genderScore: g }
        : { age: years, gender: 'female', genderScore: 1 - g };
    });
  }
}

function stagesOf(out: Record<string, TensorData>, i: number): Parameters<typeof ssrNetValue>[0] {
  const three = (name: string): Float32Array =>
    float32Data(out[name], name).subarray(3 * i, 3 * i + 3);
  const one = (name: string): number => float32Data(out[name], name)[i]!;
  const [p1, p2, p3] = SSR_NET_OUTPUTS.probabilities;
  const [d1, d2, d3] = SSR_NET_OUTPUTS.deltas;
  const [o1, o2, o3] = SSR_NET_OUTPUTS.offsets;
  return {
    probabilities: [three(p1), three(p2), three(p3)],
    deltas: [one(d1), one(d2), one(d3)],
    offsets: [three(o1), three(o2), three(o3)],
  };
}

/**
 * The pixels of a face box grown by `scale` (clipped to the image), stretched to a `side` x `side`
 * square: the input of the landmark and attribute models. Returns the crop in frame pixels too.
 */
function squareFaceCrop(
  image: FrameImage,
  box: Box,
  scale: number,
  side: number,
  channels: 'gray' | 'bgr',
): { crop: Box; pixels: ReturnType<typeof warpAffine> } {
  const crop = faceCrop(box, scale, image.width, image.height);
  const mapping = regionMapping(crop, side, side, 'stretch');
  return {
    crop,
    pixels: warpAffine(image, warpMatrix(mapping), { width: side, height: side, channels }),
  };
}
