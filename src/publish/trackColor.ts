import type { Color } from '../messages/types.js';

/**
 * Ten outline colours far apart in hue and easy to tell over camera images (the "Tableau 10"
 * palette), as foxglove_msgs/Color components in [0, 1].
 */
export const TRACK_PALETTE: readonly Color[] = Object.freeze(
  [
    [0x4e, 0x79, 0xa7],
    [0xf2, 0x8e, 0x2b],
    [0xe1, 0x57, 0x59],
    [0x76, 0xb7, 0xb2],
    [0x59, 0xa1, 0x4f],
    [0xed, 0xc9, 0x48],
    [0xb0, 0x7a, 0xa1],
    [0xff, 0x9d, 0xa7],
    [0x9c, 0x75, 0x5f],
    [0xba, 0xb0, 0xac],
  ].map(([r, g, b]) => rgb(r ?? 0, g ?? 0, b ?? 0)),
);

/** The colour of detections that belong to no confirmed track: a neutral light grey. */
export const UNTRACKED_COLOR: Color = Object.freeze(rgb(0xd0, 0xd0, 0xd0));

/**
 * The outline colour of a track: the same id gets the same colour in every frame, every run and
 * every process (a hash of the id, not the order tracks appear in), so a track keeps its colour
 * across a replay and the live node. `undefined` or '' (untracked) gives {@link UNTRACKED_COLOR}.
 */
export function trackColor(trackId: string | undefined): Color {
  if (trackId === undefined || trackId === '') return UNTRACKED_COLOR;
  return TRACK_PALETTE[fnv1a(trackId) % TRACK_PALETTE.length] ?? UNTRACKED_COLOR;
}

/** Black or white, whichever reads better on `background` (relative luminance above 0.5: black). */
export function contrastingTextColor(background: Color): Color {
  const luminance = 0.2126 * background.r + 0.7152 * background.g + 0.0722 * background.b;
  return luminance > 0.5 ? { r: 0, g: 0, b: 0, a: 1 } : { r: 1, g: 1, b: 1, a: 1 };
}

/** 32-bit FNV-1a over the UTF-16 code units: small, deterministic, spreads "1", "2", ... apart. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function rgb(r: number, g: number, b: number): Color {
  return { r: r / 255, g: g / 255, b: b / 255, a: 1 };
}
