import type { DoctorCheck } from './doctorCheck.js';

/**
 * Whether the WebGPU provider finds an adapter (asked in a child process, see webGpuProbe.ts).
 * None is a warning, not a failure: chains fall back from webgpu like from any provider.
 */
async function webGpuCheck(): Promise<DoctorCheck> {
  const { runWebGpuProbe } = await import('../inference/webGpuProbe.js');
  const probe = await runWebGpuProbe();
  const drivers =
    probe.vulkanDrivers.length > 0
      ? `Vulkan drivers: ${probe.vulkanDrivers.join(', ')}`
      : 'no Vulkan driver manifest installed';
  if (!probe.available) {
    return {
      section: 'onnxruntime',
      status: 'warn',
      summary: `webgpu: no adapter: ${probe.reason}`,
      details: [drivers],
      fix: 'models configured with webgpu fall back to the next provider of their chain; for a GPU, install its Vulkan driver and the Vulkan loader',
    };
  }
  if (probe.softwareOnly) {
    return {
      section: 'onnxruntime',
      status: 'warn',
      summary:
        'webgpu: an adapter, but only software Vulkan drivers are installed: it would run on the CPU',
      details: [drivers],
      fix: "install the GPU vendor's Vulkan driver; models configured with webgpu skip it until then",
    };
  }
  return {
    section: 'onnxruntime',
    status: 'ok',
    summary: `webgpu: adapter found (a session on it in ${Math.round(probe.createMs)} ms; onnxruntime-node does not name the adapter)`,
    details: [drivers],
  };
}

/** The installed onnxruntime: version and the execution providers its binding offers. */
export async function onnxruntimeCheck(): Promise<DoctorCheck[]> {
  try {
    const { providerSupport, unavailableReason } = await import('../inference/providerSupport.js');
    const support = providerSupport();
    const details = support.backends.map((b) => {
      const reason =
        b.name === 'cuda' || b.name === 'tensorrt' ? unavailableReason(b.name, support) : undefined;
      return `${b.name}: ${reason === undefined ? (b.bundled ? 'built in' : 'provider libraries present') : `not usable: ${reason}`}`;
    });
    const checks: DoctorCheck[] = [
      {
        section: 'onnxruntime',
        status: 'ok',
        summary: `onnxruntime-node ${support.onnxruntimeVersion}; execution providers compiled in: ${support.backends.map((b) => b.name).join(', ')}`,
        details: [`binaries: ${support.binaryDir}`, ...details],
      },
    ];
    if (support.backends.some((b) => b.name === 'webgpu')) checks.push(await webGpuCheck());
    return checks;
  } catch (error) {
    return [
      {
        section: 'onnxruntime',
        status: 'fail',
        summary: `onnxruntime-node does not load: ${(error as Error).message.split('\n')[0] ?? ''}`,
        fix: 'reinstall it: `npm ci` (linux x64/arm64 CPU binaries are in the package); on a Jetson use the Dockerfile.jetson image',
      },
    ];
  }
}
