import type { AppConfig } from '../config/detectorConfig.js';
import { defaultConfig, loadConfigFile } from '../config/parseConfig.js';

/** The config of a command: the file given with --config, or the defaults. */
export function configFrom(file: string | undefined): AppConfig {
  return file === undefined ? defaultConfig() : loadConfigFile(file);
}

/** Exit statuses shared by the commands (documented in the README). */
export const ExitStatus = {
  ok: 0,
  /** Some inputs (frames, files) failed; the rest were processed and written. */
  partial: 1,
  /** Nothing could be done: bad arguments, unreadable input, missing model. */
  fatal: 2,
  /** Stopped by SIGINT/SIGTERM; the output holds what was processed. */
  interrupted: 130,
} as const;
