import type { DoctorCheck } from './doctorCheck.js';

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
    return [
      {
        section: 'onnxruntime',
        status: 'ok',
        summary: `onnxruntime-node ${support.onnxruntimeVersion}; execution providers compiled in: ${support.backends.map((b) => b.name).join(', ')}`,
        details: [`binaries: ${support.binaryDir}`, ...details],
      },
    ];
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
