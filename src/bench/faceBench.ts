import { defaultFacesConfig, type FacesConfig } from '../config/facesConfig.js';
import { decodeEncodedImage } from '../image/decodeEncodedImage.js';
import { FrameImage } from '../image/frameImage.js';
import { emptyFaceTimings, type FaceTimings } from '../faces/faceResult.js';
import { FaceStage } from '../faces/faceStage.js';
import { FaceGallery } from '../faces/gallery.js';
import { embeddingModelId } from '../faces/faceModels.js';

/** Options of {@link runFaceBench}. */
export interface FaceBenchOptions {
  readonly modelsDir: string;
  /** Intra-op threads of each face model. Default: all cores. */
  readonly threads?: number;
  /** Face settings (thresholds, attributes, embedding form); the region is always the whole frame. Default: the defaults. */
  readonly config?: FacesConfig;
  /** Encoded images (JPEG/PNG) to time, e.g. one with 1 face and one with 5. */
  readonly frames: readonly { readonly label: string; readonly bytes: Uint8Array }[];
  /** Timed runs per frame, after 3 warm-up runs. Default 20. */
  readonly iterations?: number;
  /** Where report lines go. Default: stdout. */
  readonly log?: (line: string) => void;
}

/** Median per-stage times of one frame. */
export interface FaceBenchRow {
  readonly label: string;
  readonly faces: number;
  readonly median: FaceTimings;
  /** Median of landmarks + align + embedding + attributes, divided by the number of faces. */
  readonly perFaceMs: number;
}

/**
 * Times the face branch on whole frames (detection, landmarks, alignment, batched embedding,
 * attributes, matching against an empty gallery) and prints the median of each stage per frame
 * and the per-face cost of everything after detection. The target on a 2-core x86 machine is
 * at most 15 ms per face.
 */
export async function runFaceBench(options: FaceBenchOptions): Promise<FaceBenchRow[]> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const iterations = options.iterations ?? 20;
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new RangeError(`'iterations' must be a positive integer, got ${iterations}`);
  const config: FacesConfig = { ...(options.config ?? defaultFacesConfig()), region: 'frame' };
  const stage = await FaceStage.create({
    modelsDir: options.modelsDir,
    config,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    gallery: FaceGallery.empty('(bench)', embeddingModelId(options.modelsDir, config)),
  });
  const rows: FaceBenchRow[] = [];
  try {
    log(
      `face branch, median of ${iterations} runs per frame, ${options.threads ?? 'all'} thread(s) per model (ms); models: ${stage.selectedModels.map((m) => `${m.stage} ${m.name}${m.role === 'onnx' ? '' : ` (${m.role})`}`).join(', ')}`,
    );
    log(
      [
        'frame',
        'faces',
        'detect',
        'landmarks',
        'embedding',
        'age/gender',
        'expression',
        'match',
        'per face*',
      ]
        .map((h, i) => (i === 0 ? h.padEnd(24) : h.padStart(11)))
        .join(''),
    );
    for (const frame of options.frames) {
      const image = new FrameImage(decodeEncodedImage(frame.bytes, frame.label));
      try {
        const runs: FaceTimings[] = [];
        for (let i = 0; i < iterations + 3; i++) {
          const timings = emptyFaceTimings();
          await stage.process(image, { timings });
          if (i >= 3) runs.push(timings);
        }
        const median = medianTimings(runs);
        const perFaceMs =
          median.faces === 0
            ? 0
            : (median.landmarksMs +
                median.embeddingMs +
                median.attributesMs +
                median.expressionMs) /
              median.faces;
        rows.push({ label: frame.label, faces: median.faces, median, perFaceMs });
        log(
          [
            frame.label.padEnd(24),
            String(median.faces).padStart(11),
            ...[
              median.detectMs,
              median.landmarksMs,
              median.embeddingMs,
              median.attributesMs,
              median.expressionMs,
              median.matchMs,
              perFaceMs,
            ].map((v) => v.toFixed(2).padStart(11)),
          ].join(''),
        );
      } finally {
        image.close();
      }
    }
    log(
      '* landmarks + embedding (its alignment included) + age/gender + expression, per face (target <= 15 ms)',
    );
  } finally {
    await stage.close();
  }
  return rows;
}

function medianTimings(runs: readonly FaceTimings[]): FaceTimings {
  const median = (pick: (t: FaceTimings) => number): number => {
    const values = runs.map(pick).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] ?? 0;
  };
  return {
    detectMs: median((t) => t.detectMs),
    landmarksMs: median((t) => t.landmarksMs),
    embeddingMs: median((t) => t.embeddingMs),
    attributesMs: median((t) => t.attributesMs),
    expressionMs: median((t) => t.expressionMs),
    matchMs: median((t) => t.matchMs),
    faces: median((t) => t.faces),
    regions: median((t) => t.regions),
    canvases: median((t) => t.canvases),
  };
}
