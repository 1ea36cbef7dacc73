import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ModelError } from '../errors.js';
import type { PreparedFile } from './manifest.js';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads a prepared model file and checks its sha256 against the manifest. Missing or corrupt
 * files are ModelErrors that name the file and the command that fixes it.
 */
export async function readVerified(modelsDir: string, prepared: PreparedFile): Promise<Buffer> {
  const file = path.join(modelsDir, prepared.file);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    throw new ModelError(
      'MODEL_MISSING',
      `model file ${file} is missing. Run \`mobilenet-ros models prepare\` to fetch and convert the models.`,
      { cause: error },
    );
  }
  const actual = sha256(bytes);
  if (prepared.sha256 !== '' && actual !== prepared.sha256) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `model file ${file} is corrupt (sha256 ${actual}, expected ${prepared.sha256}). ` +
        'Run `mobilenet-ros models prepare --force` to rebuild it.',
    );
  }
  return bytes;
}
