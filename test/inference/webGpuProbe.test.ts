import assert from 'node:assert/strict';
import { ortMessage, runWebGpuProbe, webGpuProbe } from '../../src/inference/webGpuProbe.js';
import { sessionFailureReason } from '../../src/inference/providerSupport.js';

describe('webGpuProbe', () => {
  it('answers in a child process, with a reason when there is no adapter', async function () {
    this.timeout(30_000);
    const probe = await runWebGpuProbe();
    if (probe.available) {
      assert.ok(probe.createMs >= 0);
    } else {
      // This machine and CI: no Vulkan loader, so Dawn finds no adapter.
      assert.match(probe.reason, /^(Failed to get a WebGPU adapter|no answer|the WebGPU probe)/);
      assert.doesNotMatch(probe.reason, /onnxruntime_src|was false/);
    }
    assert.ok(Array.isArray(probe.vulkanDrivers));
  });

  it('caches one probe per process', async function () {
    this.timeout(30_000);
    assert.equal(webGpuProbe(), webGpuProbe());
    await webGpuProbe();
  });

  it('kills a probe that does not answer in time and says so', async () => {
    const probe = await runWebGpuProbe({ timeoutMs: 1 });
    assert.equal(probe.available, false);
    assert.match(
      probe.available ? '' : probe.reason,
      /^no answer from the WebGPU adapter request within 1 ms \(probe process killed\)/,
    );
  });

  it('refuses a timeout that is not a positive integer', async () => {
    await assert.rejects(
      runWebGpuProbe({ timeoutMs: 0 }),
      (e: unknown) =>
        e instanceof RangeError && /'timeoutMs' must be a positive integer, got 0/.test(e.message),
    );
  });

  it("keeps ORT's message and drops its source location and assertion", () => {
    const raw =
      '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\n';
    assert.equal(ortMessage(raw), 'Failed to get a WebGPU adapter: No supported adapters');
    assert.equal(ortMessage('plain message\nsecond line'), 'plain message');
    assert.equal(
      sessionFailureReason('webgpu', new Error(raw)),
      'Failed to get a WebGPU adapter: No supported adapters',
    );
  });
});
