import type { Command } from 'commander';
import { benchCommand } from './benchCommand.js';
import { demoCommand } from './demoCommand.js';
import { detectCommand } from './detectCommand.js';
import { doctorCommand } from './doctorCommand.js';
import { facesCommand } from './facesCommand.js';
import { mobilenetCommand } from './mobilenetCommand.js';
import { modelsCommand } from './modelsCommand.js';
import { replayCommand } from './replayCommand.js';
import { runCommand } from './runCommand.js';

/** Every subcommand, in the order `--help` lists them. */
export function commands(): Command[] {
  return [
    demoCommand(),
    runCommand(),
    replayCommand(),
    detectCommand(),
    facesCommand(),
    benchCommand(),
    modelsCommand(),
    mobilenetCommand(),
    doctorCommand(),
  ];
}
