import { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSampleRecording } from '../sample/sampleRecording.js';
import { configFrom, ExitStatus } from './configOption.js';
import { runReplay } from '../replay/runReplay.js';

/** The Foxglove layout for the demo's output bag (config/ ships with the package: npm and colcon). */
const demoLayout = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../config/foxglove/demo-layout.json',
);

/** `mobilenet-ros demo`: make the sample recording, replay it, show where the results are. */
export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'make the two-camera sample recording from real photos, replay it, and write the output bag and annotated frames',
    )
    .option('--out <dir>', 'output folder', 'out/demo')
    .option('--config <file>', 'YAML config (the same file as the ROS parameters)')
    .action(async (options: { out: string; config?: string }) => {
      fs.mkdirSync(options.out, { recursive: true });
      const input = path.join(options.out, 'sample_cameras.mcap');
      const output = path.join(options.out, 'detections.mcap');
      const annotateDir = path.join(options.out, 'annotated');
      if (!fs.existsSync(input)) {
        const counts = await writeSampleRecording({ output: input });
        process.stderr.write(
          `wrote the sample recording ${input} (${counts.raw} raw + ${counts.compressed} JPEG frames, 640x480)\n`,
        );
      }
      fs.rmSync(annotateDir, { recursive: true, force: true });
      const { summary, annotated } = await runReplay({
        bag: input,
        output,
        config: configFrom(options.config),
        force: true,
        annotateDir,
        annotateEvery: 5,
      });
      process.stdout.write(`${summary.format()}\n\n`);
      process.stdout.write(`input bag:        ${input}\n`);
      process.stdout.write(
        `output bag:       ${output}  (play it: ros2 bag play ${output}; or open it in Foxglove)\n`,
      );
      process.stdout.write(`annotated frames: ${annotateDir}/ (${annotated.length} JPEG files)\n`);
      process.stdout.write(
        `Foxglove layout:  ${demoLayout}  (import it, then open the output bag: boxes over both cameras)\n`,
      );
      process.exitCode = summary.failed > 0 ? ExitStatus.partial : ExitStatus.ok;
    });
}
