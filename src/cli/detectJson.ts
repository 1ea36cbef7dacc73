import { faceJson } from '../faces/faceJson.js';
import type { FrameResult } from '../pipeline/frameResult.js';

/** One line of `detect --json` output for a processed image, or for a failed one. */
export function detectJsonLine(
  result: FrameResult,
  options: { embeddings?: boolean } = {},
): string {
  if (result.error !== undefined) {
    return JSON.stringify({ image: result.frame.topic, error: result.error.message });
  }
  return JSON.stringify({
    image: result.frame.topic,
    width: result.width,
    height: result.height,
    detections: result.detections.map((d) => ({
      ...(d.trackId === undefined ? {} : { track_id: d.trackId }),
      class_id: String(d.classId),
      label: d.label,
      score: round(d.score, 4),
      bbox: [d.box.xmin, d.box.ymin, d.box.xmax, d.box.ymax].map((v) => round(v, 1)),
      ...(d.classification === undefined
        ? {}
        : {
            classification: d.classification.map((c) => ({
              label: c.label,
              score: round(c.score, 4),
            })),
          }),
    })),
    ...(result.faces === undefined
      ? {}
      : {
          faces: result.faces.map((f) =>
            faceJson(f, { includeEmbedding: options.embeddings ?? false }),
          ),
        }),
  });
}

/** One human-readable line per image. */
export function detectTextLine(result: FrameResult): string {
  if (result.error !== undefined) return `${result.frame.topic}: error: ${result.error.message}`;
  const items = result.detections.map(
    (d) =>
      `${d.label}${d.trackId === undefined ? '' : ` #${d.trackId}`} ${d.score.toFixed(2)} [${[d.box.xmin, d.box.ymin, d.box.xmax, d.box.ymax].map((v) => v.toFixed(0)).join(', ')}]`,
  );
  const faces =
    result.faces === undefined
      ? ''
      : `; ${result.faces.length} face(s)${
          result.faces.some((f) => f.identity !== '')
            ? ': ' +
              result.faces
                .filter((f) => f.identity !== '')
                .map((f) => f.identity)
                .join(', ')
            : ''
        }`;
  return `${result.frame.topic} (${result.width}x${result.height}): ${items.length ? items.join('; ') : 'nothing detected'}${faces}`;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
