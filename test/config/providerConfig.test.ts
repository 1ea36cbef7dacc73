import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ConfigError } from '../../src/errors.js';
import {
  defaultTensorRtCacheDir,
  parseProvidersConfig,
  providerChainFor,
  type ProvidersConfig,
} from '../../src/config/providerConfig.js';

function parse(yaml: string, threads = 4): ProvidersConfig {
  return parseProvidersConfig((YAML.parse(yaml) as { inference?: unknown }).inference, {
    source: 'cfg.yaml',
    baseDir: '/etc/mobilenet',
    threads,
  });
}

function rejects(yaml: string, pattern: RegExp): void {
  assert.throws(
    () => parse(yaml),
    (e: unknown) =>
      e instanceof ConfigError && e.code === 'CONFIG_INVALID' && pattern.test(e.message),
  );
}

describe('parseProvidersConfig', () => {
  it('defaults to the CPU with inference.threads', () => {
    assert.deepEqual(parse('inference: {threads: 3}', 3), {
      chain: [{ kind: 'cpu', threads: 3 }],
      models: {},
    });
    assert.deepEqual(parseProvidersConfig(undefined, { threads: 2 }), {
      chain: [{ kind: 'cpu', threads: 2 }],
      models: {},
    });
  });

  it('parses a fallback chain with each provider’s settings and defaults', () => {
    const config = parse(`
inference:
  provider: [tensorrt, cuda, cpu]
  tensorrt: { fp16: false, int8: true, cache_dir: trt-cache, workspace_bytes: 268435456, device_id: 1 }
  cuda: { device_id: 1 }
  cpu: { threads: 2 }
`);
    assert.deepEqual(config.chain, [
      {
        kind: 'tensorrt',
        deviceId: 1,
        fp16: false,
        int8: true,
        cacheDir: '/etc/mobilenet/trt-cache',
        workspaceBytes: 268435456,
      },
      { kind: 'cuda', deviceId: 1 },
      { kind: 'cpu', threads: 2 },
    ]);
    assert.deepEqual(parse('inference: {provider: tensorrt}').chain, [
      {
        kind: 'tensorrt',
        deviceId: 0,
        fp16: true,
        int8: false,
        cacheDir: defaultTensorRtCacheDir(),
        workspaceBytes: 1 << 30,
      },
    ]);
    assert.equal(
      (
        parse('inference: {provider: tensorrt, tensorrt: {cache_dir: ~/trt}}').chain[0] as {
          cacheDir: string;
        }
      ).cacheDir,
      path.join(os.homedir(), 'trt'),
    );
  });

  it('gives a model its own chain, inheriting the settings it does not override', () => {
    const config = parse(`
inference:
  provider: [tensorrt, cpu]
  tensorrt: { fp16: true, cache_dir: /cache }
  models:
    face_embedding: { provider: [cuda, cpu] }
    face_gender: { tensorrt: { fp16: false } }
    face_age: {}
`);
    assert.deepEqual(providerChainFor(config, 'face_embedding'), [
      { kind: 'cuda', deviceId: 0 },
      { kind: 'cpu', threads: 4 },
    ]);
    assert.deepEqual(providerChainFor(config, 'face_gender')[0], {
      kind: 'tensorrt',
      deviceId: 0,
      fp16: false,
      int8: false,
      cacheDir: '/cache',
      workspaceBytes: 1 << 30,
    });
    assert.equal(providerChainFor(config, 'face_age'), config.chain);
    assert.equal(providerChainFor(config, 'coco_detector'), config.chain);
  });

  it('parses webgpu in a chain and in per-model overrides, its settings optional', () => {
    const config = parse(`
inference:
  provider: [webgpu, cpu]
  webgpu: {preferred_layout: NHWC}
  models:
    face_embedding: {webgpu: {validation_mode: wgpuOnly}}
    face_age: {provider: cpu}
    coco_detector: {provider: [cuda, webgpu, cpu]}
`);
    assert.deepEqual(config.chain, [
      { kind: 'webgpu', preferredLayout: 'NHWC' },
      { kind: 'cpu', threads: 4 },
    ]);
    // A model's own settings override the root's key by key; its chain is the root's.
    assert.deepEqual(providerChainFor(config, 'face_embedding'), [
      { kind: 'webgpu', preferredLayout: 'NHWC', validationMode: 'wgpuOnly' },
      { kind: 'cpu', threads: 4 },
    ]);
    assert.deepEqual(providerChainFor(config, 'face_age'), [{ kind: 'cpu', threads: 4 }]);
    assert.deepEqual(
      providerChainFor(config, 'coco_detector').map((p) => p.kind),
      ['cuda', 'webgpu', 'cpu'],
    );
    assert.deepEqual(parse('inference: {provider: webgpu}').chain, [{ kind: 'webgpu' }]);
  });

  it('refuses webgpu settings onnxruntime does not take, and validation_mode disabled', () => {
    rejects(
      'inference: {webgpu: {preferred_layout: nhwc}}',
      /^cfg\.yaml: 'inference\.webgpu\.preferred_layout' must be one of 'NCHW', 'NHWC', got "nhwc"$/,
    );
    rejects(
      'inference: {webgpu: {validation_mode: disabled}}',
      /'inference\.webgpu\.validation_mode' must be 'wgpuOnly', 'basic' or 'full' \('disabled' is not offered: .*crash the Node process\), got "disabled"/,
    );
    rejects(
      'inference: {models: {coco_detector: {webgpu: {validation_mode: 1}}}}',
      /'inference\.models\.coco_detector\.webgpu\.validation_mode' must be one of 'wgpuOnly', 'basic', 'full', got 1/,
    );
    rejects(
      'inference: {webgpu: {device_id: 0}}',
      /unknown key 'inference\.webgpu\.device_id'; allowed here: preferred_layout, validation_mode/,
    );
    rejects(
      'inference: {provider: [webgpu, webgpu]}',
      /'inference\.provider' names 'webgpu' twice/,
    );
  });

  it('names the key, the allowed values and the value found', () => {
    rejects(
      'inference: {provider: [gpu, cpu]}',
      /^cfg\.yaml: 'inference\.provider\[0\]' must be one of 'tensorrt', 'cuda', 'webgpu', 'cpu', got "gpu"$/,
    );
    rejects(
      'inference: {provider: []}',
      /'inference\.provider' must name at least one execution provider, got \[\]/,
    );
    rejects('inference: {provider: [cuda, cpu, cuda]}', /'inference\.provider' names 'cuda' twice/);
    rejects(
      'inference: {provider: 3}',
      /'inference\.provider' must be a provider name or a list of them, got 3/,
    );
    rejects(
      'inference: {tensorrt: {fp16: "yes"}}',
      /'inference\.tensorrt\.fp16' must be true or false, got "yes"/,
    );
    rejects(
      'inference: {tensorrt: {workspace_bytes: 1000}}',
      /'inference\.tensorrt\.workspace_bytes' must be an integer in \[1048576, 1099511627776\], got 1000/,
    );
    rejects(
      'inference: {tensorrt: {engine_dir: /x}}',
      /unknown key 'inference\.tensorrt\.engine_dir'; allowed here: device_id, fp16, int8, cache_dir, workspace_bytes/,
    );
    rejects(
      'inference: {cuda: {device_id: -1}}',
      /'inference\.cuda\.device_id' must be an integer in \[0, 63\], got -1/,
    );
    rejects(
      'inference: {cpu: {threads: 65}}',
      /'inference\.cpu\.threads' must be an integer in \[1, 64\], got 65/,
    );
    rejects('inference: {cuda: [0]}', /'inference\.cuda' must be a mapping, got \[0\]/);
    rejects(
      'inference: {models: {Face-Net: {}}}',
      /'inference\.models\.Face-Net' is not a model name/,
    );
    rejects(
      'inference: {models: {face_embedding: {providers: [cpu]}}}',
      /unknown key 'inference\.models\.face_embedding\.providers'; allowed here: provider, tensorrt, cuda, webgpu, cpu/,
    );
    rejects(
      'inference: {models: {face_embedding: {provider: [npu]}}}',
      /'inference\.models\.face_embedding\.provider\[0\]' must be one of/,
    );
  });
});
