import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

import { MCAP_MAGIC } from '@mcap/core';
import type { McapTypes } from '@mcap/core';

import { BagError, errorText } from '../errors.js';
import { MessageRegistry } from '../messages/messageRegistry.js';
import type { BagReader } from './bagReader.js';
import { readBagMetadata } from './bagMetadata.js';
import { McapBagReader } from './mcapBagReader.js';
import { mcapDecompressHandlers } from './mcapDecompressors.js';
import { MultiFileBagReader } from './multiFileBagReader.js';
import { Sqlite3BagReader } from './sqliteBagReader.js';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** rosbag2's file compression mode writes zstd frames (`<file>.zstd`). */
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

interface OpenContext {
  readonly registry: MessageRegistry;
  readonly decompressHandlers: McapTypes.DecompressHandlers;
}

/** Options of `openBag()`. */
export interface OpenBagOptions {
  /**
   * Definitions for topics whose bag stores none (Humble .db3). Default: a registry with the
   * built-in definitions (`MessageRegistry.withBuiltins()`).
   */
  readonly registry?: MessageRegistry;
  /**
   * MCAP chunk decompressors by compression name (`zstd`, `lz4`), as @mcap/core takes them.
   * Default: zstd and lz4 (mcapDecompressHandlers); `{}` reads only uncompressed chunks.
   * Default none: an MCAP with compressed chunks is BAG_UNSUPPORTED.
   */
  readonly decompressHandlers?: McapTypes.DecompressHandlers;
}

/**
 * Opens a rosbag2 recording for reading: a `.mcap` file, a `.db3` file, or a bag directory with
 * metadata.yaml (whose files are read in order). Files are recognised by content, not name.
 * The caller owns the reader and must `close()` it.
 * @throws BagError with the path, the reason and what to do: BAG_INVALID for a missing path,
 *   an unknown format, a truncated or corrupt file; BAG_UNSUPPORTED for compressed bags.
 */
export async function openBag(bagPath: string, options: OpenBagOptions = {}): Promise<BagReader> {
  const context: OpenContext = {
    registry: options.registry ?? MessageRegistry.withBuiltins(),
    decompressHandlers: options.decompressHandlers ?? (await mcapDecompressHandlers()),
  };
  const kind = await pathKind(bagPath);
  if (kind === 'directory') {
    return openDirectory(bagPath, context);
  }
  if (path.basename(bagPath) === 'metadata.yaml') {
    return openDirectory(path.dirname(bagPath), context);
  }
  return openFile(bagPath, context);
}

async function pathKind(bagPath: string): Promise<'file' | 'directory'> {
  try {
    const info = await stat(bagPath);
    if (info.isDirectory()) {
      return 'directory';
    }
    if (info.isFile()) {
      return 'file';
    }
  } catch (error) {
    throw new BagError(
      'BAG_INVALID',
      `${bagPath}: no such file or directory; pass a .mcap or .db3 file, or a bag directory ` +
        `with metadata.yaml`,
      { cause: error },
    );
  }
  throw new BagError('BAG_INVALID', `${bagPath}: not a regular file or a directory`);
}

async function openDirectory(directory: string, context: OpenContext): Promise<BagReader> {
  const hasMetadata = await stat(path.join(directory, 'metadata.yaml')).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!hasMetadata) {
    const bagFiles = (await readdir(directory)).filter((f) => /\.(mcap|db3)$/.test(f));
    throw new BagError(
      'BAG_INVALID',
      `${directory}: not a bag directory (no metadata.yaml); ` +
        (bagFiles.length > 0
          ? `open one of its files (${bagFiles.join(', ')}) or rebuild the metadata with ` +
            `\`ros2 bag reindex ${directory}\``
          : 'pass a .mcap or .db3 file, or a directory recorded by `ros2 bag record`'),
    );
  }
  const metadata = await readBagMetadata(directory);
  if (metadata.compressionMode !== '' || metadata.compressionFormat !== '') {
    throw new BagError(
      'BAG_UNSUPPORTED',
      `${directory}: compressed bag (${metadata.compressionFormat || '?'}, mode ` +
        `${metadata.compressionMode || '?'}), which this build cannot read; make an ` +
        `uncompressed copy with \`ros2 bag convert\` and open that`,
    );
  }
  if (metadata.storageIdentifier !== 'mcap' && metadata.storageIdentifier !== 'sqlite3') {
    throw new BagError(
      'BAG_UNSUPPORTED',
      `${directory}: storage '${metadata.storageIdentifier}' is not supported (mcap and ` +
        `sqlite3 are); convert the bag with \`ros2 bag convert\``,
    );
  }
  const readers: BagReader[] = [];
  try {
    for (const file of metadata.files) {
      readers.push(await openFile(await locate(directory, file), context));
    }
  } catch (error) {
    await Promise.all(readers.map((r) => r.close()));
    throw error;
  }
  return new MultiFileBagReader(directory, readers);
}

/**
 * A file listed in metadata.yaml. Metadata older than version 4 listed paths relative to the
 * directory's parent (`bag/bag_0.db3`); fall back to the file name inside the directory.
 */
async function locate(directory: string, file: string): Promise<string> {
  const candidates = [file, path.join(directory, path.basename(file))];
  for (const candidate of candidates) {
    if (
      await stat(candidate).then(
        (s) => s.isFile(),
        () => false,
      )
    ) {
      return candidate;
    }
  }
  throw new BagError(
    'BAG_INVALID',
    `${path.join(directory, 'metadata.yaml')} lists ${path.relative(directory, file)}, which ` +
      `does not exist; rebuild the metadata with \`ros2 bag reindex ${directory}\``,
  );
}

async function openFile(file: string, context: OpenContext): Promise<BagReader> {
  const prefix = await readPrefix(file);
  if (startsWith(prefix, Buffer.from(MCAP_MAGIC))) {
    return McapBagReader.open(file, context.decompressHandlers);
  }
  if (startsWith(prefix, SQLITE_MAGIC)) {
    return Sqlite3BagReader.open(file, context.registry);
  }
  if (startsWith(prefix, ZSTD_MAGIC)) {
    throw new BagError(
      'BAG_UNSUPPORTED',
      `${file}: a zstd-compressed bag file, which this build cannot read; decompress it ` +
        `(\`zstd -d ${file}\`) and open the result`,
    );
  }
  throw new BagError(
    'BAG_INVALID',
    `${file}: not a rosbag2 file: expected MCAP or SQLite 3 data, found ` +
      (prefix.length === 0 ? 'an empty file' : `bytes ${prefix.subarray(0, 8).toString('hex')}`) +
      `; pass a .mcap or .db3 file written by rosbag2`,
  );
}

async function readPrefix(file: string): Promise<Buffer> {
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(SQLITE_MAGIC.length);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new BagError('BAG_INVALID', `${file}: cannot read: ${errorText(error)}`, {
      cause: error,
    });
  }
}

function startsWith(data: Buffer, magic: Buffer): boolean {
  return data.length >= magic.length && data.subarray(0, magic.length).equals(magic);
}
