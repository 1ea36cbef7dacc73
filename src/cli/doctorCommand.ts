import { Command, InvalidArgumentError } from 'commander';
import type { AppConfig } from '../config/detectorConfig.js';
import type { ProvidersConfig } from '../config/providerConfig.js';
import { runDoctor } from '../doctor/runDoctor.js';
import { configFrom } from './configOption.js';

/** `mobilenet-ros doctor`: what this machine offers against what the config needs. */
export function doctorCommand(): Command {
  return new Command('doctor')
    .description(
      'check onnxruntime and its execution providers, OpenCV, ROS 2 and rclnodejs, the model files, and time each model on its configured provider; exits 1 when something the config needs is missing',
    )
    .option('--config <file>', 'YAML config (parameters mapping or ROS 2 parameters file)')
    .option('--ros', 'fail when ROS 2 is not sourced (check before `ros2 launch`)', false)
    .option('--runs <n>', 'timed runs per model (0: no timing)', parseRuns, 10)
    .option('--json', 'print the checks as JSON instead of text', false)
    .action(async (options: { config?: string; ros: boolean; runs: number; json: boolean }) => {
      const config = configFrom(options.config);
      const result = await runDoctor({
        config,
        providers: providersOf(config),
        requireRos: options.ros,
        runs: options.runs,
      });
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ checks: result.checks, exitStatus: result.exitStatus })}\n`
          : result.text,
      );
      process.exitCode = result.exitStatus;
    });
}

/**
 * The providers of the config. Until parseConfig carries `inference.providers` (issue #6 wiring),
 * a config without it runs every model on the CPU, as before.
 */
function providersOf(config: AppConfig): ProvidersConfig {
  return config.inference.providers;
}

function parseRuns(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 10000)
    throw new InvalidArgumentError(`'--runs' must be an integer in [0, 10000], got ${value}`);
  return n;
}
