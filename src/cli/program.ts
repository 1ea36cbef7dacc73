import { Command } from 'commander';
import { packageVersion } from '../version.js';

/**
 * The `mobilenet-ros` command line. Each subcommand lives in its own file under src/cli/ and
 * is added here; this file only assembles them.
 */
export function buildProgram(commands: readonly Command[]): Command {
  const program = new Command('mobilenet-ros')
    .description(
      'MobileNet perception for ROS 2: detection, faces and classification on ONNX Runtime',
    )
    .version(packageVersion)
    .showHelpAfterError()
    .enablePositionalOptions();
  for (const command of commands) program.addCommand(command);
  return program;
}
