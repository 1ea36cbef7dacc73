#!/usr/bin/env node
import { buildProgram } from './cli/program.js';
import { commands } from './cli/commands.js';
import { MobilenetRosError } from './errors.js';

/** Entry point: parse the command line, run one command, turn errors into exit codes. */
async function main(): Promise<void> {
  const program = buildProgram(commands());
  await program.parseAsync(process.argv);
}

main().catch((error: unknown) => {
  if (error instanceof MobilenetRosError) {
    process.stderr.write(`mobilenet-ros: error [${error.code}]: ${error.message}\n`);
  } else if (error instanceof Error) {
    process.stderr.write(`mobilenet-ros: ${error.message}\n`);
  } else {
    process.stderr.write(`mobilenet-ros: ${String(error)}\n`);
  }
  process.exitCode =
    process.exitCode === undefined || process.exitCode === 0 ? 2 : process.exitCode;
});
