import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../config/detectorConfig.js';
import { DetectionPipeline } from '../pipeline/detectionPipeline.js';
import { writeImagesBag } from './bagJpegs.js';
import { timedReplay, timedReplayFps, type TimedReplay } from './timedReplay.js';

/** Options of {@link runFaceReplayBench}. */
export interface FaceReplayBenchOptions {
  /** Settings of both replays; the face branch is switched off for one and on for the other. */
  readonly config: AppConfig;
  /** The pictures replayed, in turn, e.g. crowd frames (JPEG or PNG). */
  readonly images: readonly { readonly label: string; readonly bytes: Uint8Array }[];
  /** Timed frames of each replay kind, over all rounds. Default 200. */
  readonly frames?: number;
  /** Rounds: each replays detector-only, then with faces, frames/rounds frames. Default 8. */
  readonly rounds?: number;
  /** Untimed frames before each timed block. Default 5. */
  readonly warmup?: number;
}

export interface FaceReplayBenchResult {
  readonly detectorOnlyFps: number;
  readonly withFacesFps: number;
  /** withFacesFps / detectorOnlyFps, over all rounds. */
  readonly ratio: number;
  readonly roundRatios: readonly number[];
  /** Per timed frame of the replay with faces: person detections and faces found. */
  readonly personsPerFrame: number;
  readonly facesPerFrame: number;
  /** Face-detector runs per frame (person regions that fit one input together share a run). */
  readonly canvasesPerFrame: number;
  readonly frames: number;
  /** Mean time per frame of each face stage in the replay with faces, ms (wall time, overlapping other work). */
  readonly stageMs: Readonly<Record<StageName, number>>;
}

const STAGES = ['detectMs', 'landmarksMs', 'embeddingMs', 'attributesMs', 'expressionMs'] as const;
type StageName = (typeof STAGES)[number];

const TOPIC = '/bench_camera/image_raw/compressed';

/**
 * The face branch's cost on the full replay path: `replay` of the same pictures detector-only
 * and with the face branch (as configured: by default inside the person detections), in
 * alternating rounds on this machine. On pictures with several people per frame this is what a
 * user pays for faces.
 */
export async function runFaceReplayBench(
  options: FaceReplayBenchOptions,
): Promise<FaceReplayBenchResult> {
  const frames = options.frames ?? 200;
  const rounds = options.rounds ?? 8;
  const warmup = options.warmup ?? 5;
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > frames)
    throw new RangeError(`'rounds' must be an integer in [1, frames], got ${rounds}`);
  if (!Number.isInteger(warmup) || warmup < 1)
    throw new RangeError(`'warmup' must be an integer >= 1, got ${warmup}`);
  const perRound = Math.ceil(frames / rounds);
  // `auto` is decided (and logged) once: every replay below runs the form it chose.
  const probe = await DetectionPipeline.create({
    ...options.config,
    faces: { ...options.config.faces, enabled: false },
  });
  const form = probe.detector.form;
  await probe.close();
  const base: AppConfig = {
    ...options.config,
    detector: { ...options.config.detector, modelForm: form },
  };
  const detectorOnly: AppConfig = { ...base, faces: { ...base.faces, enabled: false } };
  const withFaces: AppConfig = { ...base, faces: { ...base.faces, enabled: true } };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilenet-ros-facebench-'));
  try {
    const bag = path.join(dir, 'crowd.mcap');
    await writeImagesBag(bag, TOPIC, options.images, perRound + warmup);
    const output = path.join(dir, 'out.mcap');
    const off: TimedReplay[] = [];
    const on: TimedReplay[] = [];
    let persons = 0;
    let faces = 0;
    let canvases = 0;
    let counted = 0;
    const stageSums = Object.fromEntries(STAGES.map((k) => [k, 0])) as Record<StageName, number>;
    for (let round = 0; round < rounds; round++) {
      const common = { bag, topic: TOPIC, output, frames: perRound, warmup };
      off.push(await timedReplay({ ...common, config: detectorOnly }));
      on.push(
        await timedReplay({
          ...common,
          config: withFaces,
          onResult: (result) => {
            persons += result.detections.filter((d) => d.label === 'person').length;
            faces += result.faces?.length ?? 0;
            canvases += result.faceTimings?.canvases ?? 0;
            counted++;
            for (const k of STAGES) stageSums[k] += result.faceTimings?.[k] ?? 0;
          },
        }),
      );
    }
    const detectorOnlyFps = timedReplayFps(off);
    const withFacesFps = timedReplayFps(on);
    return {
      detectorOnlyFps,
      withFacesFps,
      ratio: withFacesFps / detectorOnlyFps,
      roundRatios: on.map((b, i) => timedReplayFps([b]) / timedReplayFps([off[i]!])),
      personsPerFrame: persons / Math.max(counted, 1),
      facesPerFrame: faces / Math.max(counted, 1),
      canvasesPerFrame: canvases / Math.max(counted, 1),
      frames: counted,
      stageMs: Object.fromEntries(
        STAGES.map((k) => [k, stageSums[k] / Math.max(counted, 1)]),
      ) as Record<StageName, number>,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The report: both rates, the ratio with its target, and what the frames held. */
export function formatFaceReplayBench(r: FaceReplayBenchResult): string {
  return [
    `replay of the same pictures, detector only: ${r.detectorOnlyFps.toFixed(1)} fps; with the face branch: ` +
      `${r.withFacesFps.toFixed(1)} fps (${r.personsPerFrame.toFixed(1)} persons in ${r.canvasesPerFrame.toFixed(1)} face-detector runs, ` +
      `${r.facesPerFrame.toFixed(1)} faces per frame, ${r.frames} frames)`,
    `  face branch per frame (mean ms): ${STAGES.map((k) => `${k.replace(/Ms$/, '')} ${r.stageMs[k].toFixed(2)}`).join(', ')}`,
    `with faces / detector only: ${(r.ratio * 100).toFixed(1)}% (target >= 60%); ` +
      `by round: ${r.roundRatios.map((x) => `${(x * 100).toFixed(0)}%`).join(', ')}`,
  ].join('\n');
}
