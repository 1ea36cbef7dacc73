/**
 * Writes packed HWC bytes (one image of `channels` channels) into a planar CHW float tensor at
 * `offset`, as `(v - mean) / std`, through a 256-entry table. Pure; used to stack several face
 * crops into one batch.
 */
export function writePlanar(
  pixels: Uint8Array,
  channels: number,
  mean: readonly number[],
  std: readonly number[],
  target: Float32Array,
  offset: number,
): void {
  const plane = pixels.length / channels;
  if (!Number.isInteger(plane) || mean.length !== channels || std.length !== channels) {
    throw new RangeError(
      `'pixels' (${pixels.length} bytes) does not hold whole pixels of ${channels} channels`,
    );
  }
  if (offset + pixels.length > target.length) {
    throw new RangeError(
      `'target' (${target.length} values) has no room for ${pixels.length} values at ${offset}`,
    );
  }
  for (let c = 0; c < channels; c++) {
    const table = new Float32Array(256);
    for (let v = 0; v < 256; v++) table[v] = (v - mean[c]!) / std[c]!;
    const base = offset + c * plane;
    for (let p = 0, i = c; p < plane; p++, i += channels) target[base + p] = table[pixels[i]!]!;
  }
}
