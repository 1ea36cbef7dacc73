import type { FacesConfig } from '../config/facesConfig.js';
import type { FrameImage } from '../image/frameImage.js';
import { clampBox, type Box } from '../postprocess/box.js';
import { nonMaxSuppression } from '../postprocess/nms.js';
import { expandBox } from './cropBox.js';
import { FaceModels, type EmbeddingModelId, type SelectedFaceModel } from './faceModels.js';
import { emptyFaceTimings, type FaceResult, type FaceTimings } from './faceResult.js';
import { FaceGallery } from './gallery.js';
import { fivePointsFrom68 } from './landmarks68.js';
import { FaceCrops } from './models/faceCrops.js';
import type { DetectRegion } from './models/faceModelTypes.js';
import { centreInside, clusterRegions } from './regionClusters.js';

/** Options of {@link FaceStage.create}. */
export interface FaceStageOptions {
  /** Folder with manifest.json and the prepared models. */
  readonly modelsDir: string;
  readonly config: FacesConfig;
  /** Intra-op threads of each face model. Default: all cores. */
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
   * Called with the embedding model's input batch, `count` faces, planar (for calibrating an
   * int8 model; the array is not kept).
   */
  readonly onAligned?: (faces: Float32Array, count: number) => void;
}

/** Person boxes are grown by this fraction per side, so a head at the box edge is whole. */
const PERSON_MARGIN = 0.1;
/**
 * What a face-detector run costs beyond its pixels, in pixels: ULFD took 1.9 ms for 320x240 and
 * 0.4 ms for 64x128 (2 threads), about 0.3 ms a run plus the rest in proportion to the pixels.
 */
const RUN_PIXELS = 12_000;

/**
 * The face branch for one frame: detection (threshold + NMS, per region), 68-point landmarks,
 * the recognition embedding (all faces of a frame in one batch, L2-normalised), age and gender,
 * expression, gallery match. Which model does each is the config's choice (FaceModels).
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
      choices: options.config,
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

  /** The models this stage runs, with their licences. */
  get selectedModels(): readonly SelectedFaceModel[] {
    return this.models.selected;
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
    if (config.attributes && this.models.ageGender === undefined) {
      throw new RangeError(
        `'faces.attributes' cannot be turned on at run time: the stage was created without the age and gender models`,
      );
    }
    if (config.expression && this.models.expression === undefined) {
      throw new RangeError(
        `'faces.expression' cannot be turned on at run time: the stage was created without the expression model`,
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
    const models = this.models;

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
    const crops = new FaceCrops(
      image,
      faces.map((f) => f.box),
    );

    t = performance.now();
    const points68 = await models.landmarks.landmarks(crops);
    timings.landmarksMs = performance.now() - t;

    t = performance.now();
    const five = points68.map((points) => fivePointsFrom68(points));
    const embeddings = await models.embedding.embed(image, five, options.onAligned);
    timings.embeddingMs = performance.now() - t;

    t = performance.now();
    const attributes =
      config.attributes && models.ageGender !== undefined
        ? await models.ageGender.estimate(crops)
        : undefined;
    timings.attributesMs = performance.now() - t;

    t = performance.now();
    const expressions =
      config.expression && models.expression !== undefined
        ? await models.expression.estimate(crops)
        : undefined;
    timings.expressionMs = performance.now() - t;

    t = performance.now();
    const results = faces.map((face, i): FaceResult => {
      const match = this.gallery.match(embeddings[i]!, config.matchThreshold);
      const attribute = attributes?.[i];
      const expression = expressions?.[i];
      return {
        box: face.box,
        score: face.score,
        landmarks: five[i]!,
        embedding: embeddings[i]!,
        identity: match.identity,
        identityScore: match.score,
        age: attribute?.age ?? Number.NaN,
        gender: attribute?.gender ?? 'unknown',
        genderScore: attribute?.genderScore ?? 0,
        ...(expression === undefined
          ? {}
          : {
              expression: expression.expression,
              expressionScore: expression.score,
              expressions: expression.probabilities,
            }),
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
    const detectOptions = {
      scoreThreshold: this.config.scoreThreshold,
      iouThreshold: this.config.iouThreshold,
      maxFaces: this.config.maxFaces,
    };
    const detector = this.models.detector;
    if (mode === 'frame') {
      timings.regions = 1;
      timings.canvases = 1;
      const frame: DetectRegion = {
        box: { xmin: 0, ymin: 0, xmax: width, ymax: height },
        kind: 'frame',
      };
      return detector.detect(image, frame, detectOptions);
    }
    if (persons === undefined) {
      throw new RangeError(
        `'persons' must be given when faces.region is 'persons' (the person detections of this frame)`,
      );
    }
    const regions = persons
      .map((p) => expandBox(clampBox(p.box, width, height), PERSON_MARGIN, width, height))
      .filter((b) => b.xmax - b.xmin >= 1 && b.ymax - b.ymin >= 1);
    // Person boxes that one detector input shows at their own scale, for no more work, share a
    // run (see clusterRegions). A face counts when its centre lies in a member: the detector may
    // see more around it, but a face there is not this person's.
    const plan = (box: Box) => detector.plan(box);
    const clusters = clusterRegions(regions, plan, { runPixels: RUN_PIXELS });
    timings.regions = regions.length;
    timings.canvases = clusters.length;
    const candidates: { box: Box; score: number }[] = [];
    for (const cluster of clusters) {
      const found = await detector.detect(
        image,
        { box: cluster.box, kind: 'person' },
        detectOptions,
      );
      candidates.push(...found.filter((f) => centreInside(f.box, cluster.members)));
    }
    if (clusters.length <= 1) return candidates;
    // Overlapping person boxes in different runs see the same face twice: keep the best of each.
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
}
