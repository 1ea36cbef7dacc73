import { ModelError } from '../errors.js';
import type { DetectionPostprocessOptions } from './tflite/tfliteToOnnx.js';

/**
 * The sidecar file of a converted SSD (`*.ssd.json`): what the TFLite post-process op held,
 * which our TypeScript post-processing needs.
 */
export interface SsdModelSpec {
  readonly formatVersion: 1;
  /** Model input [1, H, W, 3], uint8 RGB. */
  readonly inputShape: readonly [number, number, number, number];
  readonly inputQuantization: { readonly scale: number; readonly zeroPoint: number };
  readonly postprocess: DetectionPostprocessOptions;
  /** (yc, xc, h, w) per anchor, normalised. */
  readonly anchors: readonly number[];
}

export function serializeSsdSpec(spec: SsdModelSpec): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(spec) + '\n');
}

export function parseSsdSpec(bytes: Uint8Array, file: string): SsdModelSpec {
  let spec: SsdModelSpec;
  try {
    spec = JSON.parse(new TextDecoder().decode(bytes)) as SsdModelSpec;
  } catch (error) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `${file} is not valid JSON. Run \`mobilenet-ros models prepare --force\`.`,
      {
        cause: error,
      },
    );
  }
  if (spec.formatVersion !== 1 || !Array.isArray(spec.anchors) || spec.inputShape.length !== 4) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `${file} is not an SSD spec (formatVersion 1). Run \`mobilenet-ros models prepare --force\`.`,
    );
  }
  return spec;
}
