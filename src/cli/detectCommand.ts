import { Command } from 'commander';
import { configFrom, ExitStatus } from './configOption.js';
import { runDetect } from './detect.js';
import { detectJsonLine, detectTextLine } from './detectJson.js';

/** `mobilenet-ros detect <images...>` */
export function detectCommand(): Command {
  return new Command('detect')
    .description('detect objects in image files (JPEG, PNG)')
    .argument('<images...>', 'image files')
    .option('--json', 'print one JSON object per image, one per line')
    .option('--embeddings', 'with --json, include each face embedding vector')
    .option('--annotate <dir>', 'write each image with boxes and labels drawn into this folder')
    .option('--config <file>', 'YAML config (the same file as the ROS parameters)')
    .action(
      async (
        images: string[],
        options: { json?: boolean; embeddings?: boolean; annotate?: string; config?: string },
      ) => {
        let failed = 0;
        await runDetect({
          images,
          config: configFrom(options.config),
          annotateDir: options.annotate,
          onResult: (result) => {
            if (result.error !== undefined) {
              failed++;
              process.stderr.write(
                `mobilenet-ros: ${result.frame.topic}: ${result.error.message}\n`,
              );
            }
            process.stdout.write(
              `${options.json ? detectJsonLine(result, { embeddings: options.embeddings }) : detectTextLine(result)}\n`,
            );
          },
        });
        if (failed > 0) process.exitCode = ExitStatus.partial;
      },
    );
}
