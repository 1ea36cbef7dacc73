import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { parseConfig } from '../../src/config/parseConfig.js';
import { parseProvidersConfig, PROVIDER_CONFIG_KEYS } from '../../src/config/providerConfig.js';
import { repoRoot } from '../support/paths.js';

const presetsDir = path.join(repoRoot, 'config/presets');

/** A preset's parameters: the mapping under `mobilenet_ros: ros__parameters:`. */
function parameters(file: string): Record<string, unknown> {
  const doc = YAML.parse(fs.readFileSync(path.join(presetsDir, file), 'utf8')) as {
    mobilenet_ros?: { ros__parameters?: Record<string, unknown> };
  };
  const params = doc.mobilenet_ros?.ros__parameters;
  assert.ok(params !== undefined, `${file}: mobilenet_ros: ros__parameters:`);
  return params;
}

describe('config presets', () => {
  for (const file of ['jetson.yaml', 'raspberry-pi.yaml', 'x86-gpu.yaml']) {
    it(`${file} is a valid ROS 2 parameters file for the node`, () => {
      const params = parameters(file);
      const inference = (params.inference ?? {}) as Record<string, unknown>;
      // parseConfig checks the rest; the provider keys are parseProvidersConfig's.
      const rest = Object.fromEntries(
        Object.entries(inference).filter(
          ([k]) => !(PROVIDER_CONFIG_KEYS as readonly string[]).includes(k),
        ),
      );
      const config = parseConfig({ ...params, inference: rest }, file);
      const providers = parseProvidersConfig(inference, {
        source: file,
        threads: config.inference.threads,
      });
      assert.ok(providers.chain.length > 0);
      assert.equal(providers.chain.at(-1)?.kind, 'cpu', 'a preset ends its chain on the CPU');
    });
  }

  it("x86-gpu.yaml prefers WebGPU on the float model, with ORT's WebGPU defaults", () => {
    const params = parameters('x86-gpu.yaml');
    const providers = parseProvidersConfig(params.inference, {
      source: 'x86-gpu.yaml',
      threads: 4,
    });
    assert.deepEqual(providers.chain, [{ kind: 'webgpu' }, { kind: 'cpu', threads: 4 }]);
    assert.equal((params.detector as { model_form: string }).model_form, 'float');
  });

  it('jetson.yaml prefers TensorRT in FP16 on the float model, caching engines on the image volume', () => {
    const params = parameters('jetson.yaml');
    const inference = params.inference as Record<string, unknown>;
    const providers = parseProvidersConfig(inference, { source: 'jetson.yaml', threads: 4 });
    assert.deepEqual(
      providers.chain.map((p) => p.kind),
      ['tensorrt', 'cuda', 'cpu'],
    );
    assert.deepEqual(providers.chain[0], {
      kind: 'tensorrt',
      deviceId: 0,
      fp16: true,
      int8: false,
      cacheDir: '/var/cache/mobilenet-ros/tensorrt',
      workspaceBytes: 1 << 30,
    });
    assert.equal((params.detector as { model_form: string }).model_form, 'float');
    assert.match(
      fs.readFileSync(path.join(repoRoot, 'Dockerfile.jetson'), 'utf8'),
      /VOLUME \["\/var\/cache\/mobilenet-ros"\]/,
    );
  });

  it('raspberry-pi.yaml runs the QDQ model on the CPU', () => {
    const params = parameters('raspberry-pi.yaml');
    assert.equal((params.detector as { model_form: string }).model_form, 'qdq');
    const providers = parseProvidersConfig(params.inference, {
      source: 'raspberry-pi.yaml',
      threads: 3,
    });
    assert.deepEqual(providers.chain, [{ kind: 'cpu', threads: 3 }]);
  });
});
