import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import onnxProto from 'onnx-proto';
import { chooseModelForm } from '../../src/detection/modelFormChoice.js';
import { SsdDetector } from '../../src/detection/ssdDetector.js';
import cv from '../../src/image/cv.js';
import { ModelSession } from '../../src/inference/modelSession.js';
import type { TensorData } from '../../src/inference/tensorData.js';
import { loadManifest } from '../../src/models/manifest.js';
import { fetchTarball, readTarEntry } from '../../src/models/npmTarball.js';
import {
  parseTflite,
  type TfliteModel,
  type TfliteOperator,
} from '../../src/models/tflite/tfliteModel.js';
import { readZipEntry } from '../../src/models/zipEntry.js';
import { iou, type Box } from '../../src/postprocess/box.js';
import { fixturesDir, modelsDir } from '../support/paths.js';

/**
 * Agreement with the TFLite runtime itself (golden.json, made by make-golden.mjs with the WASM
 * build of TFLite, whose quantized kernels are XNNPACK's) on identical 300x300 input bytes.
 *
 * What was measured (see the closing note of the detection issue): the converted graph is
 * exact op by op, but the network amplifies 1-step rounding differences (XNNPACK rounds once,
 * TFLite's own reference kernels round twice), so end to end only strong detections agree to
 * 0.01; weaker ones move by up to ~0.08.
 */

const referenceDir = path.join(fixturesDir, 'tflite-reference');

interface GoldenDetection {
  classIndex: number;
  score: number;
  box: Box;
}
interface Golden {
  images: { image: string; detections: GoldenDetection[] }[];
}
const golden = JSON.parse(
  fs.readFileSync(path.join(referenceDir, 'golden.json'), 'utf8'),
) as Golden;

function inputBytes(image: string): Uint8Array {
  const bgr = cv.imread(path.join(referenceDir, image));
  const rgb = bgr.cvtColor(cv.COLOR_BGR2RGB);
  const bytes = new Uint8Array(rgb.getData());
  bgr.release();
  rgb.release();
  return bytes;
}

// The reference form, and the form `detector.model_form: auto` (the default) chooses on this CPU.
for (const form of ['qdq', 'auto'] as const) {
  describe(`${form === 'qdq' ? 'QDQ model' : "The default (auto's choice)"} against the TFLite runtime (golden outputs)`, function () {
    this.timeout(120_000);
    let detector: SsdDetector;
    let cacheDir: string;
    before(async () => {
      cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-form-'));
      const chosen =
        form === 'qdq'
          ? 'qdq'
          : (
              await chooseModelForm({
                modelsDir,
                session: { intraOpThreads: 2, spinWait: false },
                cacheFile: path.join(cacheDir, 'model-form.json'),
                budgetMs: 300,
              })
            ).form;
      detector = await SsdDetector.create({
        modelsDir,
        form: chosen,
        decoder: { scoreThreshold: 0.2 },
      });
    });
    after(async () => {
      await detector.close();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    });

    for (const { image, detections } of golden.images) {
      it(`${image}: every reference detection >= 0.3 is found (same class, IoU >= 0.95); the strongest within 0.01`, async () => {
        const ours = await detector.detect(inputBytes(image));
        const strong = detections.filter((d) => d.score >= 0.3);
        assert.ok(strong.length > 0);
        for (const [rank, ref] of strong.entries()) {
          const match = ours
            .filter((d) => d.classIndex === ref.classIndex)
            .map((d) => ({ d, overlap: iou(d.box, ref.box) }))
            .sort((a, b) => b.overlap - a.overlap)[0];
          assert.ok(
            match !== undefined && match.overlap >= 0.95,
            `${image}: no match for ${JSON.stringify(ref)}`,
          );
          const difference = Math.abs(match.d.score - ref.score);
          // The strongest detection of each image agrees to 0.01; weaker ones within 0.1 (measured max 0.082).
          assert.ok(
            difference <= (rank === 0 ? 0.01 : 0.1),
            `${image}: score ${match.d.score} vs reference ${ref.score}`,
          );
        }
      });
    }
  });
}

interface ReferenceInterpreter {
  runOp: (
    model: TfliteModel,
    op: TfliteOperator,
    get: (index: number) => Uint8Array | undefined,
    mode: 'tflite' | 'xnnpack',
  ) => Uint8Array;
}

describe('QDQ model op by op against an integer interpreter of the TFLite kernels', function () {
  this.timeout(120_000);

  it('every op, fed the same inputs, is within 1 quantization step of XNNPACK arithmetic', async () => {
    const { runOp } = (await import(
      pathToFileURL(path.join(referenceDir, 'reference-int.mjs')).href
    )) as ReferenceInterpreter;
    const manifest = loadManifest(modelsDir);
    const source = manifest.models.coco_detector?.sources.tflite;
    const pin = source === undefined ? undefined : manifest.tarballs[source.tarball];
    assert.ok(source?.zipEntry !== undefined && pin !== undefined);
    const tarball = await fetchTarball(pin, path.join(modelsDir, '.cache'));
    const model = parseTflite(
      await readZipEntry(await readTarEntry(tarball, source.path), source.zipEntry),
    );

    // The prepared graph with every quantized intermediate tensor as an extra output.
    const { onnx } = onnxProto;
    const graph = onnx.ModelProto.decode(
      fs.readFileSync(path.join(modelsDir, 'coco_ssd_mobilenet_v2.qdq.onnx')),
    );
    const produced = new Set((graph.graph?.node ?? []).flatMap((n) => n.output ?? []));
    const outputName = new Map<number, string>();
    for (const op of model.operators) {
      if (op.kind === 'CUSTOM') continue;
      const index = op.outputs[0] ?? -1;
      const name = produced.has(`t${index}_q`) ? `t${index}_q` : `t${index}`;
      outputName.set(index, name);
      graph.graph?.output?.push(onnx.ValueInfoProto.create({ name }));
    }
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qdq-')), 'all-outputs.onnx');
    fs.writeFileSync(file, onnx.ModelProto.encode(graph).finish());
    const session = await ModelSession.create(file, { intraOpThreads: 2 });
    const rgb = inputBytes('astronaut.png');
    let outputs: Record<string, TensorData>;
    try {
      outputs = await session.run({ image: { type: 'uint8', data: rgb, dims: [1, 300, 300, 3] } });
    } finally {
      await session.close();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }

    // ORT's values in TFLite's own layout (NHWC) and type (uint8).
    const values = new Map<number, Uint8Array>([[model.inputs[0] ?? -1, rgb]]);
    for (const [index, name] of outputName)
      values.set(index, asTfliteBytes(outputs[name], model, index));

    let elements = 0;
    let differing = 0;
    for (const op of model.operators) {
      if (op.kind === 'CUSTOM') continue;
      const index = op.outputs[0] ?? -1;
      const reference = runOp(model, op, (i) => values.get(i), 'xnnpack');
      const ours = values.get(index);
      assert.ok(ours !== undefined && ours.length === reference.length);
      for (let i = 0; i < reference.length; i++) {
        const d = Math.abs((reference[i] ?? 0) - (ours[i] ?? 0));
        assert.ok(d <= 1, `${op.kind} t${index}[${i}]: ${ours[i]} vs reference ${reference[i]}`);
        if (d > 0) differing++;
      }
      elements += reference.length;
    }
    assert.ok(
      differing / elements < 1e-4,
      `${differing} of ${elements} elements differ by one step`,
    );
  });
});

function asTfliteBytes(
  tensor: TensorData | undefined,
  model: TfliteModel,
  index: number,
): Uint8Array {
  assert.ok(tensor !== undefined, `no output for tensor ${index}`);
  const meta = model.tensors[index];
  assert.ok(meta?.quantization);
  let data: Uint8Array;
  if (tensor.data instanceof Uint8Array) {
    data = tensor.data;
  } else {
    const scale = meta.quantization.scale[0] ?? 1;
    const zeroPoint = meta.quantization.zeroPoint[0] ?? 0;
    data = Uint8Array.from(tensor.data as Float32Array, (v) =>
      Math.max(0, Math.min(255, Math.round(v / scale) + zeroPoint)),
    );
  }
  const shape = meta.shape;
  const dims = tensor.dims;
  // NCHW in ONNX where TFLite has NHWC: transpose back.
  if (dims.length === 4 && shape.length === 4 && dims[1] === shape[3] && dims[3] !== shape[3]) {
    const [, c = 0, h = 0, w = 0] = dims;
    const out = new Uint8Array(data.length);
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) out[(y * w + x) * c + ch] = data[(ch * h + y) * w + x] ?? 0;
    return out;
  }
  return data;
}
