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
  return readChecked(path.join(modelsDir, prepared.file), prepared.sha256, {
    what: 'model file',
    missingFix: 'Run `mobilenet-ros models prepare` to fetch and convert the models.',
    corruptFix: 'Run `mobilenet-ros models prepare --force` to rebuild it.',
  });
}

/**
 * Reads a file and checks its sha256 ('' skips the check). A missing file is MODEL_MISSING, a
 * different sha256 MODEL_CORRUPT; both messages name `what`, the file and the fix.
 */
export async function readChecked(
  file: string,
  expectedSha256: string,
  describe: { readonly what: string; readonly missingFix: string; readonly corruptFix: string },
): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    throw new ModelError(
      'MODEL_MISSING',
      `${describe.what} ${file} is missing. ${describe.missingFix}`,
      {
        cause: error,
      },
    );
  }
  const actual = sha256(bytes);
  if (expectedSha256 !== '' && actual !== expectedSha256) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `${describe.what} ${file} is corrupt (sha256 ${actual}, expected ${expectedSha256}). ${describe.corruptFix}`,
    );
  }
  return bytes;
}
