import { Command } from 'commander';
import { configFrom, ExitStatus } from './configOption.js';
import { runReplay } from '../replay/runReplay.js';

/** `mobilenet-ros replay <bag> -o <out.mcap>` */
export function replayCommand(): Command {
  return new Command('replay')
    .description(
      'run the pipeline over the image topics of a rosbag2 recording (MCAP or sqlite3) into an MCAP bag',
    )
    .argument('<bag>', 'bag directory (with metadata.yaml), .mcap or .db3 file')
    .requiredOption('-o, --output <file>', 'output MCAP file')
    .option(
      '--topics <list>',
      'comma-separated image topics (default: every Image and CompressedImage topic)',
    )
    .option('--config <file>', 'YAML config (the same file as the ROS parameters)')
    .option('--no-images', 'leave the input images out of the output bag')
    .option(
      '--no-annotations',
      'leave out the foxglove_msgs/ImageAnnotations (<image topic>/annotations) for Foxglove',
    )
    .option('--annotate <dir>', 'also write annotated frames as JPEG into this folder')
    .option('--annotate-every <n>', 'with --annotate, keep one frame in n', '1')
    .option('--force', 'overwrite an existing output file')
    .action(
      async (
        bag: string,
        options: {
          output: string;
          topics?: string;
          config?: string;
          images: boolean;
          annotations: boolean;
          annotate?: string;
          annotateEvery: string;
          force?: boolean;
        },
      ) => {
        const every = Number(options.annotateEvery);
        if (!Number.isInteger(every) || every < 1) {
          throw new RangeError(
            `'--annotate-every' must be an integer >= 1, got ${options.annotateEvery}`,
          );
        }
        const controller = new AbortController();
        const stop = (): void => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          const { summary, interrupted, annotated, fatal } = await runReplay({
            bag,
            output: options.output,
            config: configFrom(options.config),
            topics: options.topics
              ?.split(',')
              .map((t) => t.trim())
              .filter((t) => t !== ''),
            images: options.images,
            annotations: options.annotations,
            force: options.force,
            annotateDir: options.annotate,
            annotateEvery: every,
            signal: controller.signal,
          });
          process.stderr.write(`${summary.format()}\n`);
          if (fatal !== undefined)
            process.stderr.write(
              `mobilenet-ros: error [${fatal.code}]: stopped after ${summary.frames} frames: ${fatal.message}\n`,
            );
          process.stderr.write(
            `output: ${options.output}${interrupted ? ' (interrupted: holds every frame processed so far)' : fatal !== undefined ? ' (stopped early: holds every frame processed before the failure)' : ''}\n`,
          );
          if (annotated.length > 0)
            process.stderr.write(`annotated frames: ${annotated.length} in ${options.annotate}\n`);
          process.exitCode = interrupted
            ? ExitStatus.interrupted
            : fatal !== undefined
              ? ExitStatus.fatal
              : summary.failed > 0 || summary.warnings.length > 0
                ? ExitStatus.partial
                : ExitStatus.ok;
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      },
    );
}
