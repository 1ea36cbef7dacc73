import fs from 'node:fs/promises';
import path from 'node:path';
import { defaultModelsDir, loadManifest, type ModelManifest } from '../models/manifest.js';
import { sha256 } from '../models/verifiedFile.js';
import type { DoctorCheck } from './doctorCheck.js';

/** A prepared file's state on disk. */
export type ModelFileState = 'ok' | 'unpinned' | 'missing' | 'corrupt';

export interface ModelFileStatus {
  readonly model: string;
  readonly role: string;
  readonly file: string;
  readonly state: ModelFileState;
}

/** Every prepared file of the manifest: present, and sha256 as pinned. */
export async function modelFileStatuses(
  modelsDir: string,
  manifest: ModelManifest,
): Promise<ModelFileStatus[]> {
  const out: ModelFileStatus[] = [];
  for (const [model, entry] of Object.entries(manifest.models)) {
    for (const [role, prepared] of Object.entries(entry.outputs)) {
      const file = path.join(modelsDir, prepared.file);
      let state: ModelFileState;
      try {
        const actual = sha256(await fs.readFile(file));
        state = prepared.sha256 === '' ? 'unpinned' : actual === prepared.sha256 ? 'ok' : 'corrupt';
      } catch {
        state = 'missing';
      }
      out.push({ model, role, file, state });
    }
  }
  return out;
}

/**
 * Checks of the model files. A missing or corrupt file fails when the config needs it
 * (`required`: model name -> roles) and warns otherwise.
 */
export async function modelFilesCheck(
  modelsDir: string,
  required: Readonly<Record<string, readonly string[]>>,
): Promise<{
  checks: DoctorCheck[];
  statuses: ModelFileStatus[];
}> {
  let manifest: ModelManifest;
  try {
    manifest = loadManifest(modelsDir);
  } catch (error) {
    return {
      checks: [
        {
          section: 'models',
          status: 'fail',
          summary: (error as Error).message,
          fix: 'check models_dir in the config',
        },
      ],
      statuses: [],
    };
  }
  const statuses = await modelFileStatuses(modelsDir, manifest);
  const checks: DoctorCheck[] = [];
  for (const [model, roles] of Object.entries(required)) {
    if (manifest.models[model] === undefined) {
      checks.push({
        section: 'models',
        status: 'fail',
        summary: `the config needs model '${model}', which ${modelsDir}/manifest.json does not list`,
      });
    }
    for (const role of roles) {
      if (
        manifest.models[model] !== undefined &&
        manifest.models[model].outputs[role] === undefined
      ) {
        checks.push({
          section: 'models',
          status: 'fail',
          summary: `the config needs the '${role}' file of '${model}', which the manifest does not list`,
        });
      }
    }
  }
  for (const s of statuses) {
    const needed = required[s.model]?.includes(s.role) === true;
    const label = `${s.model} ${s.role}: ${path.basename(s.file)}`;
    switch (s.state) {
      case 'ok':
        checks.push({ section: 'models', status: 'ok', summary: `${label} present, sha256 ok` });
        break;
      case 'unpinned':
        checks.push({
          section: 'models',
          status: 'ok',
          summary: `${label} present (the manifest pins no sha256 for it)`,
        });
        break;
      case 'missing':
      case 'corrupt':
        checks.push({
          section: 'models',
          status: needed ? 'fail' : 'warn',
          summary: `${label} ${s.state === 'missing' ? 'missing' : 'corrupt (sha256 mismatch)'}${needed ? ' (the config needs it)' : ''}`,
          fix: `run \`mobilenet-ros models prepare${s.state === 'corrupt' ? ' --force' : ''}${
            path.resolve(modelsDir) === path.resolve(defaultModelsDir)
              ? ''
              : ` --models-dir ${modelsDir}`
          }\``,
        });
        break;
    }
  }
  return { checks, statuses };
}
