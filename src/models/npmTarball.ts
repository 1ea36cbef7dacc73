import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tar from 'tar';
import { ModelError } from '../errors.js';

const run = promisify(execFile);

/** A package tarball pinned by exact version and the registry's sha512 integrity. */
export interface PinnedTarball {
  readonly package: string;
  readonly version: string;
  /** Subresource-integrity string as the registry publishes it: `sha512-<base64>`. */
  readonly integrity: string;
}

/**
 * Returns the path of a verified copy of the tarball in `cacheDir`, fetching it with
 * `npm pack` (which honours the user's registry, proxy and auth settings) only when the cache
 * has no valid copy. Offline once cached.
 */
export async function fetchTarball(pin: PinnedTarball, cacheDir: string): Promise<string> {
  const fileName = `${pin.package.replace(/^@/, '').replace('/', '-')}-${pin.version}.tgz`;
  const target = path.join(cacheDir, fileName);
  if (await hasIntegrity(target, pin.integrity)) return target;

  await fs.mkdir(cacheDir, { recursive: true });
  try {
    await run(
      'npm',
      ['pack', `${pin.package}@${pin.version}`, '--pack-destination', cacheDir, '--silent'],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  } catch (error) {
    throw new ModelError(
      'MODEL_FETCH_FAILED',
      `could not fetch ${pin.package}@${pin.version} from the npm registry: ${(error as Error).message.trim()}. ` +
        'Check the network and npm configuration, then run `mobilenet-ros models prepare` again.',
      { cause: error },
    );
  }
  if (!(await hasIntegrity(target, pin.integrity))) {
    await fs.rm(target, { force: true });
    throw new ModelError(
      'MODEL_FETCH_FAILED',
      `${pin.package}@${pin.version}: the downloaded tarball does not match the pinned integrity ${pin.integrity}`,
    );
  }
  return target;
}

/** Reads one file out of a .tgz into memory. */
export async function readTarEntry(tarball: string, entryPath: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let found = false;
  await tar.t({
    file: tarball,
    filter: (p) => p === entryPath,
    onReadEntry: (entry) => {
      found = true;
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
    },
  });
  if (!found) {
    throw new ModelError(
      'MODEL_FETCH_FAILED',
      `${path.basename(tarball)} has no file ${entryPath}`,
    );
  }
  return Buffer.concat(chunks);
}

async function hasIntegrity(file: string, integrity: string): Promise<boolean> {
  const [algorithm, expected] = integrity.split('-', 2);
  if (algorithm !== 'sha512' || expected === undefined) {
    throw new RangeError(`'integrity' must be a sha512-<base64> string, got ${integrity}`);
  }
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch {
    return false;
  }
  return createHash('sha512').update(bytes).digest('base64') === expected;
}
