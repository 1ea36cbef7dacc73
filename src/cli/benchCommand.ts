import { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { runFaceBench } from '../bench/faceBench.js';
import { formatFaceReplayBench, runFaceReplayBench } from '../bench/faceReplayBench.js';
import { runTrackingBench } from '../bench/trackingBench.js';
import { formatDetectionBench, runDetectionBench } from '../bench/detectionBench.js';
import { detectorBenchConfig } from '../bench/detectorBenchConfig.js';
import { DETECTOR_MODEL_FORMS, type AppConfig } from '../config/detectorConfig.js';
import { formatDetectorFormsBench, runDetectorFormsBench } from '../bench/detectorFormsBench.js';
import { configFrom } from './configOption.js';

/** `mobilenet-ros bench`: the detector's speed, bare and through the full replay path. */
export function benchCommand(): Command {
  return new Command('bench')
    .description(
      'time the detector: a bare session.run loop (the limit) and the full replay path on 640x480 JPEG frames',
    )
    .option('--tracking', 'time the tracker alone: 20 moving objects per frame (no model)')
    .option(
      '--faces <images...>',
      'time the face branch instead, on these images (e.g. a crowd): per stage on each image, then replay of the images ' +
        'detector-only and with faces, alternating in --rounds, over --frames frames of each',
    )
    .option('--frames <n>', 'frames per measurement, over all rounds', '400')
    .option(
      '--rounds <n>',
      'the measurements compared alternate this many times (a drifting machine slows both alike)',
      '8',
    )
    .option('--threads <n>', 'intra-op threads (default: the config, else the number of cores)')
    .option(
      '--form <form>',
      `model form of the bare loop and the full path: ${DETECTOR_MODEL_FORMS.join(', ')} (default: the config, else auto); ` +
        'every prepared form is also timed bare, alternating, after them',
    )
    .option('--config <file>', 'YAML config (the same file as the ROS parameters)')
    .option(
      '--ros',
      'benchmark the ROS node instead, on the real ROS 2 graph: node vs replay fps, single-frame latency, and 4 cameras x 30 fps overload (see --graph)',
    )
    .option(
      '--graph <graph>',
      "with --ros, where the node runs: 'real' (the only one) = a separate `mobilenet-ros run` process on the real ROS 2 graph " +
        'of the current ROS_DOMAIN_ID (needs ROS 2 sourced; frames from ros2 bag play and rclpy publishers, results read from ' +
        '/detections and /diagnostics; use a domain of its own). The node on the rclnodejs test double, and the soak, are ' +
        'a development tool of the repository: node dist/test/tools/rosNodeBench.js',
    )
    .option(
      '--overload-frames <n>',
      'with --ros: frames delivered in the overload run (the memory check wants 5000)',
      '600',
    )
    .option(
      '--hostile-every <n>',
      'with --ros: one overload message in every n is hostile (a dimension bomb, a cut JPEG, bytes that are no image, ' +
        'a depth format, no data); 0 = none. The soak: --overload-frames 100000 --hostile-every 100',
      '0',
    )
    .action(
      async (options: {
        frames: string;
        rounds: string;
        threads?: string;
        form?: string;
        config?: string;
        ros?: boolean;
        graph?: string;
        overloadFrames: string;
        hostileEvery: string;
        faces?: string[];
        tracking?: boolean;
      }) => {
        const base = configFrom(options.config);
        if (options.tracking === true) {
          const r = runTrackingBench(base.tracking, { objects: 20 });
          process.stdout.write(
            `tracking: ${r.objects} objects, ${r.frames} frames: mean ${r.meanMs.toFixed(4)} ms, ` +
              `p50 ${r.p50Ms.toFixed(4)} ms, p99 ${r.p99Ms.toFixed(4)} ms per frame; ${r.ids} ids\n`,
          );
          return;
        }
        if (options.faces !== undefined) {
          const threads =
            options.threads === undefined ? base.inference.threads : Number(options.threads);
          if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
            throw new RangeError(
              `'--threads' must be an integer in [1, 64], got ${options.threads}`,
            );
          }
          const frames = options.faces.map((file) => ({
            label: path.basename(file),
            bytes: fs.readFileSync(file),
          }));
          await runFaceBench({ modelsDir: base.modelsDir, threads, frames, config: base.faces });
          const replayFrames = Number(options.frames);
          const replayRounds = Number(options.rounds);
          if (!Number.isInteger(replayFrames) || replayFrames < 1)
            throw new RangeError(`'--frames' must be an integer >= 1, got ${options.frames}`);
          if (!Number.isInteger(replayRounds) || replayRounds < 1 || replayRounds > replayFrames)
            throw new RangeError(
              `'--rounds' must be an integer in [1, --frames], got ${options.rounds}`,
            );
          const replay = await runFaceReplayBench({
            config: detectorBenchConfig(base, {
              threads: String(threads),
              ...(options.form === undefined ? {} : { form: options.form }),
            }),
            images: frames,
            frames: replayFrames,
            rounds: replayRounds,
          });
          process.stdout.write(`${formatFaceReplayBench(replay)}\n`);
          return;
        }
        const frames = Number(options.frames);
        if (!Number.isInteger(frames) || frames < 1)
          throw new RangeError(`'--frames' must be an integer >= 1, got ${options.frames}`);
        const rounds = Number(options.rounds);
        if (!Number.isInteger(rounds) || rounds < 1 || rounds > frames)
          throw new RangeError(
            `'--rounds' must be an integer in [1, --frames], got ${options.rounds}`,
          );
        const config = detectorBenchConfig(base, {
          ...(options.threads === undefined ? {} : { threads: options.threads }),
          ...(options.form === undefined ? {} : { form: options.form }),
        });
        if (options.graph !== undefined && options.ros !== true)
          throw new RangeError(`'--graph ${options.graph}' needs --ros`);
        if (options.hostileEvery !== '0' && options.ros !== true)
          throw new RangeError(`'--hostile-every ${options.hostileEvery}' needs --ros`);
        if (options.ros === true) {
          const graph = options.graph ?? 'real';
          if (graph !== 'real')
            throw new RangeError(
              `'--graph' must be 'real', got ${graph}: the node on the rclnodejs test double ('double', 'both') is ` +
                'a development tool of the repository now: node dist/test/tools/rosNodeBench.js (with --real for both)',
            );
          const overloadFrames = Number(options.overloadFrames);
          if (!Number.isInteger(overloadFrames) || overloadFrames < 1)
            throw new RangeError(
              `'--overload-frames' must be an integer >= 1, got ${options.overloadFrames}`,
            );
          const hostileEvery = Number(options.hostileEvery);
          if (!Number.isInteger(hostileEvery) || hostileEvery < 0)
            throw new RangeError(
              `'--hostile-every' must be an integer >= 0, got ${options.hostileEvery}`,
            );
          await runRealGraph({ config, frames, rounds, overloadFrames, hostileEvery });
          return;
        }
        const result = await runDetectionBench({
          config,
          frames,
          rounds,
          log: (line) => process.stderr.write(`${line}\n`),
        });
        process.stdout.write(`${formatDetectionBench(result)}\n`);
        const forms = await runDetectorFormsBench({ config, frames, rounds });
        process.stdout.write(`${formatDetectorFormsBench(forms)}\n`);
      },
    );
}

/**
 * `bench --ros`: the node on the real ROS 2 graph. The module loads only here, and rclnodejs
 * only when it runs.
 */
async function runRealGraph(options: {
  config: AppConfig;
  frames: number;
  rounds: number;
  overloadFrames: number;
  hostileEvery: number;
}): Promise<void> {
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const { formatRealGraphBench, runRealGraphBench } = await import('../bench/realGraphBench.js');
  const { InterruptedError } = await import('../bench/processScope.js');
  let real;
  try {
    real = await runRealGraphBench({ ...options, log });
  } catch (error) {
    if (!(error instanceof InterruptedError)) throw error;
    // The children are stopped; a replay in this process may still be running: do not wait for it.
    process.stderr.write(
      `mobilenet-ros: bench ${error.message}; every process it started is stopped\n`,
    );
    process.exit(130);
  }
  process.stdout.write(`${formatRealGraphBench(real)}\n`);
}
