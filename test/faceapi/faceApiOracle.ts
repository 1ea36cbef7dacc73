/**
 * face-api's own TensorFlow.js computation, used as the independent reference for the ONNX
 * models that `models prepare` builds from its weights. Everything comes from the pinned tarball
 * `@vladmandic/face-api@1.7.15` (MIT) that the tests already fetch: the ESM bundle (TF.js with
 * its pure-JavaScript CPU backend inside) and the weight manifests. Nothing is installed.
 *
 * The bundle was built for browsers and for Node with tfjs-node; under plain Node its platform
 * probe takes a stubbed `util` and fails, so the bundle is loaded with `window` and `document`
 * defined, which selects its browser platform (only tensors are used here). That pollutes the
 * global object, which is why these tests live in a folder of their own (one mocha process each).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fetchTarball, readTarEntry } from '../../src/models/npmTarball.js';
import { TfjsWeights } from '../../src/models/tfjs/tfjsWeights.js';
import { FACE_API_TARBALL } from '../faces/faceTestSupport.js';
import { modelsDir } from '../support/paths.js';

/** The face-api module's parts these tests use (typed loosely: it is a reference, not a dependency). */
export type FaceApi = any;

let loaded: Promise<FaceApi> | undefined;

/** The face-api bundle with TF.js on its CPU backend. */
export function faceApi(): Promise<FaceApi> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<FaceApi> {
  const tarball = await fetchTarball(FACE_API_TARBALL, path.join(modelsDir, '.cache'));
  const dir = path.join(modelsDir, '.cache', 'face-api-1.7.15-esm');
  const file = path.join(dir, 'face-api.esm.mjs');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const bytes = await readTarEntry(tarball, 'package/dist/face-api.esm.js');
    fs.writeFileSync(`${file}.tmp`, bytes);
    fs.renameSync(`${file}.tmp`, file);
  }
  const g = globalThis as any;
  g.window ??= globalThis;
  g.document ??= {};
  const api = await import(pathToFileURL(file).href);
  await api.tf.setBackend('cpu');
  await api.tf.ready();
  return api;
}

/** The weights of one face-api model (e.g. 'face_expression'), read with our own reader. */
export async function faceApiWeights(model: string): Promise<TfjsWeights> {
  const tarball = await fetchTarball(FACE_API_TARBALL, path.join(modelsDir, '.cache'));
  const manifest = await readTarEntry(
    tarball,
    `package/model/${model}_model-weights_manifest.json`,
  );
  const shards = new Map<string, Buffer>();
  for (const group of JSON.parse(manifest.toString()) as { paths: string[] }[]) {
    for (const p of group.paths) shards.set(p, await readTarEntry(tarball, `package/model/${p}`));
  }
  return TfjsWeights.parse(manifest, (p) => shards.get(p)!, `face-api ${model}`);
}

/**
 * The same weights as face-api's loader sees them: decoded by TF.js itself into a weight map,
 * so that the reference does not share our reader.
 */
export async function faceApiWeightMap(model: string): Promise<Record<string, unknown>> {
  const api = await faceApi();
  const tarball = await fetchTarball(FACE_API_TARBALL, path.join(modelsDir, '.cache'));
  const manifest = await readTarEntry(
    tarball,
    `package/model/${model}_model-weights_manifest.json`,
  );
  const groups = JSON.parse(manifest.toString()) as { paths: string[]; weights: unknown[] }[];
  const bytes: Buffer[] = [];
  for (const group of groups)
    for (const p of group.paths) bytes.push(await readTarEntry(tarball, `package/model/${p}`));
  const all = new Uint8Array(Buffer.concat(bytes));
  return api.tf.io.decodeWeights(
    all.buffer,
    groups.flatMap((g) => g.weights),
  );
}
