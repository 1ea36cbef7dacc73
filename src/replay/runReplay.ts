import { openBag } from '../bag/openBag.js';
import type { AppConfig } from '../config/detectorConfig.js';
import { DetectionPipeline } from '../pipeline/detectionPipeline.js';
import type { ImageObserver } from '../pipeline/objectDetectionStage.js';
import type { FrameResult } from '../pipeline/frameResult.js';
import { processFrames } from '../pipeline/processFrames.js';
import { RunSummary } from '../pipeline/runSummary.js';
import { annotatedImageFiles } from '../sinks/annotatedImageFiles.js';
import { DetectionBagSink } from '../sinks/detectionBagSink.js';
import { BagFrameSource } from '../sources/bagFrameSource.js';
import { ProgressLine } from './progressLine.js';
import { catchError, concatMap, EMPTY } from 'rxjs';
import { fatalError, type MobilenetRosError } from '../errors.js';

/** Options of {@link runReplay}; mirrors `mobilenet-ros replay`. */
export interface ReplayOptions {
  bag: string;
  output: string;
  config: AppConfig;
  /** Image topics; default all. */
  topics?: readonly string[];
  /** Copy the input images into the output bag. Default true. */
  images?: boolean;
  /** Write foxglove_msgs/ImageAnnotations at `<image topic>/annotations`. Default true. */
  annotations?: boolean;
  force?: boolean;
  /** Write every N-th frame annotated as JPEG into this folder. */
  annotateDir?: string;
  /** With annotateDir: keep one frame in this many. Default 1. */
  annotateEvery?: number;
  /** Stops reading; the output holds everything processed until then. */
  signal?: AbortSignal;
  /** Progress display. Default: stderr when it is a terminal. */
  progress?: NodeJS.WriteStream;
  /** Called once per frame after its messages are written, with the time since the frame was read. */
  onWritten?: (result: FrameResult, latencyMs: number) => void;
}

export interface ReplayResult {
  summary: RunSummary;
  interrupted: boolean;
  annotated: string[];
  /**
   * The failure that stopped the run early, when one did: a model that cannot run any more
   * (`fatalError()`). The output is still a complete bag of the frames done before it.
   */
  fatal: MobilenetRosError | undefined;
}

/**
 * Replays a bag through the detection pipeline into an MCAP bag. Frames that fail are counted
 * and skipped; a fatal failure stops the run and is returned in `fatal`; the output is always a
 * complete bag, also when interrupted or stopped.
 */
export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const reader = await openBag(options.bag);
  const annotated: string[] = [];
  try {
    // Damaged parts of the input are skipped and reported; the run then ends with status 1.
    const damaged: string[] = [];
    const source = new BagFrameSource(reader, {
      topics: options.topics,
      onDamage: (damage) => {
        damaged.push(damage.message);
        process.stderr.write(`mobilenet-ros: warning: ${damage.message}\n`);
      },
    });
    const pipeline = await DetectionPipeline.create(options.config, {
      observer: annotationObserver(options, annotated),
    });
    try {
      const sink = await DetectionBagSink.create(options.output, {
        force: options.force,
        imageTopics: source.topics,
        includeImages: options.images ?? true,
        annotations: options.annotations ?? true,
        labels: pipeline.detector.labels,
        faces:
          pipeline.faces === undefined
            ? undefined
            : {
                embeddingModel: pipeline.faces.embeddingModel,
                includeEmbeddings: options.config.faces.publishEmbeddings,
              },
        scoreThreshold: options.config.detector.scoreThreshold,
      });
      const summary = new RunSummary();
      if (reader.warning !== undefined) {
        summary.warnings.push(reader.warning);
        process.stderr.write(`mobilenet-ros: warning: ${reader.warning}\n`);
      }
      let interrupted = false;
      let fatal: MobilenetRosError | undefined;
      try {
        const total = source.topics.reduce((n, t) => n + t.messageCount, 0);
        const progress = new ProgressLine(options.progress ?? process.stderr, total);
        await new Promise<void>((resolve, reject) => {
          const subscription = processFrames(source, pipeline.stage)
            .pipe(
              // A fatal failure ends the run, but what was processed before it is still written
              // (catching it here, before the writes, lets the frames already done through).
              catchError((error: unknown) => {
                fatal = fatalError(error);
                if (fatal === undefined) throw error;
                return EMPTY;
              }),
              concatMap(async (result) => {
                await sink.write(result);
                options.onWritten?.(
                  result,
                  Number(process.hrtime.bigint() - result.frame.receivedAt) / 1e6,
                );
                return result;
              }),
            )
            .subscribe({
              next: (result) => {
                summary.add(result);
                progress.update(summary.frames, summary.framesPerSecond);
              },
              error: (error: Error) => reject(error),
              complete: () => resolve(),
            });
          options.signal?.addEventListener(
            'abort',
            () => {
              interrupted = true;
              subscription.unsubscribe();
              resolve();
            },
            { once: true },
          );
        });
        progress.done();
      } finally {
        summary.warnings.push(...damaged);
        await sink.close();
      }
      return { summary, interrupted, annotated, fatal };
    } finally {
      await pipeline.close();
    }
  } finally {
    await reader.close();
  }
}

function annotationObserver(options: ReplayOptions, written: string[]): ImageObserver | undefined {
  const dir = options.annotateDir;
  if (dir === undefined) return undefined;
  const every = options.annotateEvery ?? 1;
  return annotatedImageFiles({
    dir,
    fileName: (result) =>
      result.frame.sequence % every !== 0
        ? undefined
        : `${result.frame.topic.replace(/^\//, '').replace(/[^A-Za-z0-9_-]+/g, '_')}_${String(result.frame.sequence).padStart(5, '0')}.jpg`,
    onWritten: (file) => written.push(file),
  });
}
