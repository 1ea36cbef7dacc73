/**
 * Runs `replay` in a process of its own and prints, as one JSON line, its summary and the
 * process's peak resident set size (getrusage's ru_maxrss: every thread, the inference worker
 * included), so a test can bound the memory of a whole run without sharing its process.
 *
 * Usage: node replayWithPeakRss.js <input bag> <output bag>
 */
import { runReplay } from '../../../src/replay/runReplay.js';
import { defaultConfig } from '../../../src/config/parseConfig.js';
import { modelsDir } from '../../support/paths.js';

const [bag, output] = process.argv.slice(2);
if (bag === undefined || output === undefined) {
  process.stderr.write('usage: replayWithPeakRss <input bag> <output bag>\n');
  process.exit(64);
}
const { summary } = await runReplay({
  bag,
  output,
  config: { ...defaultConfig(), modelsDir },
  progress: undefined,
});
process.stdout.write(
  `${JSON.stringify({
    frames: summary.frames,
    failed: summary.failed,
    failuresByReason: Object.fromEntries(summary.failuresByReason),
    seconds: summary.seconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
