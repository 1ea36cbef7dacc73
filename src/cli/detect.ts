import path from 'node:path';
import { lastValueFrom, toArray, tap } from 'rxjs';
import type { AppConfig } from '../config/detectorConfig.js';
import type { FrameResult } from '../pipeline/frameResult.js';
import { DetectionPipeline } from '../pipeline/detectionPipeline.js';
import type { ImageObserver } from '../pipeline/objectDetectionStage.js';
import { processFrames } from '../pipeline/processFrames.js';
import { annotatedImageFiles } from '../sinks/annotatedImageFiles.js';
import { ImageFileSource } from '../sources/imageFileSource.js';

/** Options of {@link runDetect}; mirrors `mobilenet-ros detect`. */
export interface DetectOptions {
  images: readonly string[];
  config: AppConfig;
  /** Write each image with boxes drawn into this folder. */
  annotateDir?: string;
  /** Called with each result as soon as it is ready. */
  onResult?: (result: FrameResult) => void;
}

/** Runs the detector over image files; failures are results with `error`, never thrown. */
export async function runDetect(options: DetectOptions): Promise<FrameResult[]> {
  const pipeline = await DetectionPipeline.create(options.config, {
    observer: annotator(options.annotateDir),
  });
  try {
    const source = new ImageFileSource(options.images);
    return await lastValueFrom(
      processFrames(source, pipeline.stage).pipe(
        tap((result) => options.onResult?.(result)),
        toArray(),
      ),
    );
  } finally {
    await pipeline.close();
  }
}

function annotator(dir: string | undefined): ImageObserver | undefined {
  if (dir === undefined) return undefined;
  return annotatedImageFiles({
    dir,
    fileName: (result) => `${path.basename(result.frame.topic).replace(/\.[^.]*$/, '')}.jpg`,
  });
}
