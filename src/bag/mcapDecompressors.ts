import type { McapTypes } from '@mcap/core';
import decompressLz4 from '@foxglove/wasm-lz4';
import * as zstd from '@foxglove/wasm-zstd';

/**
 * Decompressors for MCAP chunks, by the compression names MCAP writers use. rosbag2 and the
 * MCAP CLI write zstd or lz4 chunks; both WASM builds come from Foxglove, made for MCAP.
 */
export async function mcapDecompressHandlers(): Promise<McapTypes.DecompressHandlers> {
  await Promise.all([zstd.isLoaded, decompressLz4.isLoaded]);
  return {
    zstd: (buffer, decompressedSize) => zstd.decompress(buffer, Number(decompressedSize)),
    lz4: (buffer, decompressedSize) => decompressLz4(buffer, Number(decompressedSize)),
  };
}
