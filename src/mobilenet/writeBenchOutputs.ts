import fs from 'node:fs/promises';
import path from 'node:path';
import { benchPlots } from './benchPlots.js';
import { formatBenchReport } from './formatBenchReport.js';
import type { MobilenetBenchReport } from './runMobilenetBench.js';

/**
 * Writes the benchmark into a folder (created if needed): `bench.txt` (the table), `bench.json`
 * (the report) and the two SVG plots. Existing files of those names are replaced.
 *
 * @returns the paths written.
 */
export async function writeBenchOutputs(
  report: MobilenetBenchReport,
  outDir: string,
): Promise<string[]> {
  await fs.mkdir(outDir, { recursive: true });
  const files: Record<string, string> = {
    'bench.txt': formatBenchReport(report),
    'bench.json': `${JSON.stringify(report, null, 2)}\n`,
    ...benchPlots(report),
  };
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(outDir, name);
    await fs.writeFile(file, text);
    written.push(file);
  }
  return written;
}
