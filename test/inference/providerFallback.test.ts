import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModelError } from '../../src/errors.js';
import { ortProviderEntry, type ExecutionProvider } from '../../src/inference/executionProvider.js';
import { ModelSession } from '../../src/inference/modelSession.js';
import { formatProviderReport } from '../../src/inference/providerReport.js';
import {
  providerSupport,
  sessionFailureReason,
  unavailableReason,
} from '../../src/inference/providerSupport.js';
import { webGpuProbe } from '../../src/inference/webGpuProbe.js';
import { modelsDir } from '../support/paths.js';

const modelFile = path.join(modelsDir, 'coco_ssd_mobilenet_v2.qdq.onnx');
const cuda: ExecutionProvider = { kind: 'cuda', deviceId: 0 };
const tensorrt: ExecutionProvider = {
  kind: 'tensorrt',
  deviceId: 0,
  fp16: true,
  int8: true,
  cacheDir: '/var/cache/trt',
  workspaceBytes: 1 << 30,
};
const cpu: ExecutionProvider = { kind: 'cpu', threads: 1 };

describe('ModelSession execution provider chain', () => {
  before(function () {
    // This suite is about falling back; where the GPU provider libraries exist it would run on them.
    if (unavailableReason('cuda') === undefined) this.skip();
  });

  it('falls back from cuda to cpu, records why, and logs one line', async () => {
    const lines: string[] = [];
    const session = await ModelSession.create(modelFile, {
      label: 'coco_detector (qdq)',
      providers: [cuda, cpu],
      log: (l) => lines.push(l),
    });
    try {
      assert.deepEqual(session.provider, cpu);
      const report = session.providerReport;
      assert.equal(report.model, 'coco_detector (qdq)');
      assert.deepEqual(report.requested, [cuda, cpu]);
      assert.deepEqual(report.active, cpu);
      assert.equal(report.skipped.length, 1);
      assert.deepEqual(report.skipped[0]?.provider, cuda);
      assert.match(
        report.skipped[0]?.reason ?? '',
        /libonnxruntime_providers_cuda\.so|Failed to load shared library/,
      );
      assert.equal(lines.length, 1);
      assert.match(
        lines[0] ?? '',
        /^coco_detector \(qdq\): running on cpu \(1 threads\); cuda:0 unavailable: /,
      );
      // And it runs.
      const input = session.inputs[0]?.name ?? '';
      const out = await session.run({
        [input]: { type: 'uint8', data: new Uint8Array(300 * 300 * 3), dims: [1, 300, 300, 3] },
      });
      assert.ok(Object.keys(out).length > 0);
    } finally {
      await session.close();
    }
  });

  it('passes over every unavailable provider in chain order', async () => {
    const session = await ModelSession.create(modelFile, {
      providers: [tensorrt, cuda, cpu],
      log: () => undefined,
    });
    try {
      assert.equal(session.provider.kind, 'cpu');
      assert.deepEqual(
        session.providerReport.skipped.map((s) => s.provider.kind),
        ['tensorrt', 'cuda'],
      );
      assert.match(
        formatProviderReport(session.providerReport),
        /running on cpu.*tensorrt:0 \(fp16\+int8\) unavailable: .*; cuda:0 unavailable: /,
      );
    } finally {
      await session.close();
    }
  });

  it('does not report a missing provider that comes after the one in use', async () => {
    const session = await ModelSession.create(modelFile, {
      providers: [cpu, cuda],
      log: () => undefined,
    });
    try {
      assert.equal(session.provider.kind, 'cpu');
      assert.deepEqual(session.providerReport.skipped, []);
    } finally {
      await session.close();
    }
  });

  it('is a ModelError naming every reason when no provider of the chain is available', async () => {
    await assert.rejects(
      ModelSession.create(modelFile, {
        label: 'face_embedding (onnx)',
        providers: [tensorrt, cuda],
      }),
      (e: unknown) =>
        e instanceof ModelError &&
        e.code === 'MODEL_UNSUPPORTED' &&
        /^face_embedding \(onnx\): none of its execution providers is available here: tensorrt:0 .*; cuda:0: .*Add cpu at the end of inference.provider/.test(
          e.message,
        ),
    );
  });

  it('still reports a corrupt model as corrupt after falling back', async () => {
    const bytes = new Uint8Array(fs.readFileSync(modelFile).subarray(0, 5000));
    await assert.rejects(
      ModelSession.fromBytes(bytes, {
        label: 'truncated',
        providers: [cuda, cpu],
        log: () => undefined,
      }),
      (e: unknown) =>
        e instanceof ModelError &&
        e.code === 'MODEL_CORRUPT' &&
        /^truncated: onnxruntime cannot load truncated: .*\(after cuda:0: /.test(e.message),
    );
  });
});

describe('ModelSession with webgpu in its chain', () => {
  const webgpu: ExecutionProvider = { kind: 'webgpu', preferredLayout: 'NHWC' };

  before(async function () {
    // About falling back: on a machine whose WebGPU finds an adapter the model would run on it.
    this.timeout(30_000);
    if ((await webGpuProbe()).available) this.skip();
  });

  it('falls back from webgpu to cpu on a real model, and the one line says why', async function () {
    this.timeout(30_000);
    const lines: string[] = [];
    const session = await ModelSession.create(modelFile, {
      label: 'coco_detector (qdq)',
      providers: [webgpu, cpu],
      log: (l) => lines.push(l),
    });
    try {
      assert.deepEqual(session.provider, cpu);
      assert.deepEqual(session.providerReport.requested, [webgpu, cpu]);
      assert.equal(session.providerReport.skipped.length, 1);
      assert.deepEqual(session.providerReport.skipped[0]?.provider, webgpu);
      // Without a Vulkan loader (CI, this machine): ORT's adapter error with Dawn's diagnosis.
      assert.match(
        session.providerReport.skipped[0]?.reason ?? '',
        /WebGPU adapter|Vulkan|probe process/,
      );
      assert.equal(lines.length, 1);
      assert.match(
        lines[0] ?? '',
        /^coco_detector \(qdq\): running on cpu \(1 threads\); webgpu \(NHWC\) unavailable: \S/,
      );
      const input = session.inputs[0]?.name ?? '';
      const out = await session.run({
        [input]: { type: 'uint8', data: new Uint8Array(300 * 300 * 3), dims: [1, 300, 300, 3] },
      });
      assert.ok(Object.keys(out).length > 0);
    } finally {
      await session.close();
    }
  });

  it('is a ModelError naming the webgpu reason when the chain has nothing else', async function () {
    this.timeout(30_000);
    await assert.rejects(
      ModelSession.create(modelFile, { label: 'gpu only', providers: [webgpu] }),
      (e: unknown) =>
        e instanceof ModelError &&
        e.code === 'MODEL_UNSUPPORTED' &&
        /^gpu only: none of its execution providers is available here: webgpu \(NHWC\): .*Add cpu at the end/.test(
          e.message,
        ),
    );
  });
});

describe('ModelSession provider options', () => {
  it('keeps the single-provider API: default CPU, no fallback lines', async () => {
    const lines: string[] = [];
    const session = await ModelSession.create(modelFile, {
      intraOpThreads: 1,
      log: (l) => lines.push(l),
    });
    try {
      assert.deepEqual(session.provider, { kind: 'cpu' });
      assert.deepEqual(session.providerReport.skipped, []);
      assert.deepEqual(lines, [`${modelFile}: running on cpu`]);
    } finally {
      await session.close();
    }
  });

  it('refuses an empty chain and out-of-range threads', async () => {
    await assert.rejects(
      ModelSession.create(modelFile, { providers: [] }),
      (e: unknown) =>
        e instanceof RangeError && /'providers' must name at least one/.test(e.message),
    );
    await assert.rejects(
      ModelSession.create(modelFile, { providers: [{ kind: 'cpu', threads: 0 }] }),
      (e: unknown) =>
        e instanceof RangeError &&
        /'threads' must be an integer in \[1, 256\], got 0/.test(e.message),
    );
  });
});

describe('ortProviderEntry', () => {
  it("maps TensorRT settings to ORT's trt_* provider options", () => {
    assert.deepEqual(ortProviderEntry(tensorrt), {
      name: 'tensorrt',
      deviceId: 0,
      trt_fp16_enable: '1',
      trt_int8_enable: '1',
      trt_engine_cache_enable: '1',
      trt_engine_cache_path: '/var/cache/trt',
      trt_timing_cache_enable: '1',
      trt_timing_cache_path: '/var/cache/trt',
      trt_max_workspace_size: '1073741824',
    });
    assert.deepEqual(ortProviderEntry({ kind: 'cuda', deviceId: 1 }), {
      name: 'cuda',
      deviceId: 1,
    });
    assert.deepEqual(ortProviderEntry(cpu), { name: 'cpu' });
  });

  it("passes only the webgpu settings that are set, under the binding's names", () => {
    assert.deepEqual(ortProviderEntry({ kind: 'webgpu' }), { name: 'webgpu' });
    assert.deepEqual(
      ortProviderEntry({ kind: 'webgpu', preferredLayout: 'NHWC', validationMode: 'basic' }),
      { name: 'webgpu', preferredLayout: 'NHWC', validationMode: 'basic' },
    );
  });
});

describe('provider availability', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ort-bin-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads what the installed onnxruntime-node offers', () => {
    const support = providerSupport();
    assert.match(support.onnxruntimeVersion, /^\d+\.\d+\.\d+/);
    assert.ok(support.backends.some((b) => b.name === 'cpu' && b.bundled));
    assert.ok(fs.existsSync(support.binaryDir), support.binaryDir);
  });

  it('says when a provider is not compiled in, listing what is', () => {
    const support = {
      onnxruntimeVersion: '1.30.0',
      backends: [{ name: 'cpu', bundled: true }],
      binaryDir: dir,
    };
    assert.equal(
      unavailableReason('tensorrt', support),
      'this onnxruntime-node 1.30.0 build has no tensorrt execution provider (it offers: cpu)',
    );
    assert.equal(unavailableReason('cpu', support), undefined);
  });

  it('names the provider libraries missing beside the binding', function () {
    if (process.platform !== 'linux') this.skip();
    const support = {
      onnxruntimeVersion: '1.30.0',
      backends: [{ name: 'cuda', bundled: false }],
      binaryDir: dir,
    };
    assert.match(
      unavailableReason('cuda', support) ?? '',
      /^libonnxruntime_providers_shared\.so, libonnxruntime_providers_cuda\.so not found in /,
    );
    fs.writeFileSync(path.join(dir, 'libonnxruntime_providers_shared.so'), '');
    fs.writeFileSync(path.join(dir, 'libonnxruntime_providers_cuda.so'), '');
    assert.equal(unavailableReason('cuda', support), undefined);
  });

  it("adds an ldd hint to ORT's terse load failure", () => {
    const support = { onnxruntimeVersion: '1.30.0', backends: [], binaryDir: '/opt/ort' };
    assert.equal(
      sessionFailureReason(
        'cuda',
        new Error(
          'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library\nmore',
        ),
        support,
      ),
      'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library (a library it needs is missing or of the wrong version: run `ldd /opt/ort/libonnxruntime_providers_cuda.so`)',
    );
  });
});
