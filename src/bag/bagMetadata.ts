import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { parse as parseYaml } from 'yaml';

import { BagError, errorText } from '../errors.js';

/** What a bag directory's metadata.yaml says about where and how its messages are stored. */
export interface BagMetadata {
  /** `mcap` or `sqlite3`. */
  readonly storageIdentifier: string;
  /** Absolute paths of the bag's files, in recording order. */
  readonly files: readonly string[];
  /** `zstd` for a compressed bag; empty otherwise. */
  readonly compressionFormat: string;
  /** `FILE`, `MESSAGE`, or empty. */
  readonly compressionMode: string;
}

/**
 * Reads `<dir>/metadata.yaml` (rosbag2_bagfile_information, any version).
 * @throws BagError BAG_INVALID naming the file and the entry that is missing or wrong.
 */
export async function readBagMetadata(directory: string): Promise<BagMetadata> {
  const file = path.join(directory, 'metadata.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new BagError('BAG_INVALID', `${file}: cannot read: ${errorText(error)}`, {
      cause: error,
    });
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw invalid(file, `is not valid YAML (${error instanceof Error ? error.message : ''})`);
  }
  const info = field(document, 'rosbag2_bagfile_information');
  const storageIdentifier = field(info, 'storage_identifier');
  const relativePaths = field(info, 'relative_file_paths');
  if (typeof storageIdentifier !== 'string') {
    throw invalid(file, 'has no rosbag2_bagfile_information.storage_identifier');
  }
  if (
    !Array.isArray(relativePaths) ||
    relativePaths.length === 0 ||
    !relativePaths.every((p): p is string => typeof p === 'string')
  ) {
    throw invalid(file, 'has no list of rosbag2_bagfile_information.relative_file_paths');
  }
  return {
    storageIdentifier,
    files: relativePaths.map((p) => path.resolve(directory, p)),
    compressionFormat: stringOr(field(info, 'compression_format')),
    compressionMode: stringOr(field(info, 'compression_mode')),
  };
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function invalid(file: string, problem: string): BagError {
  return new BagError(
    'BAG_INVALID',
    `${file} ${problem}; rebuild it with \`ros2 bag reindex ${path.dirname(file)}\`, or open ` +
      `the bag's .mcap/.db3 file directly`,
  );
}
