import './ortTelemetry.js';
import { errorText } from '../errors.js';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ExecutionProviderKind } from './executionProvider.js';
import { ortMessage } from './webGpuProbe.js';

/** An execution provider the installed onnxruntime-node binding was compiled with. */
export interface OfferedBackend {
  readonly name: string;
  /** True when its code is inside the package; false when it needs provider libraries beside the binding. */
  readonly bundled: boolean;
}

/** What the installed onnxruntime offers, read once per process. */
export interface ProviderSupport {
  readonly onnxruntimeVersion: string;
  readonly backends: readonly OfferedBackend[];
  /** Folder of onnxruntime_binding.node and libonnxruntime; ORT loads provider libraries from here. */
  readonly binaryDir: string;
}

/** Provider shared libraries ORT dlopens from `binaryDir` (Linux names). */
const providerLibraries: Readonly<
  Record<Exclude<ExecutionProviderKind, 'cpu'>, readonly string[]>
> = {
  cuda: ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'],
  tensorrt: ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_tensorrt.so'],
  // Inside libonnxruntime (bundled); whether it finds an adapter is webGpuProbe's question.
  webgpu: [],
};

let cached: ProviderSupport | undefined;

/** The installed onnxruntime-node: version, compiled-in backends, binary folder. */
export function providerSupport(): ProviderSupport {
  if (cached !== undefined) return cached;
  const packageJson = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  cached = {
    onnxruntimeVersion: ort.env.versions.common,
    backends: ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled })),
    binaryDir: path.join(
      path.dirname(packageJson),
      'bin',
      'napi-v6',
      process.platform,
      process.arch,
    ),
  };
  return cached;
}

/**
 * Why a provider cannot work here, found without creating a session (which would print ORT's
 * own error lines), or undefined when it is worth trying. A provider that passes this check can
 * still fail at session creation, e.g. when a CUDA, cuDNN or TensorRT library it links is missing.
 */
export function unavailableReason(
  kind: ExecutionProviderKind,
  support: ProviderSupport = providerSupport(),
): string | undefined {
  if (kind === 'cpu') return undefined;
  const backend = support.backends.find((b) => b.name === kind);
  if (backend === undefined) {
    return (
      `this onnxruntime-node ${support.onnxruntimeVersion} build has no ${kind} execution provider ` +
      `(it offers: ${support.backends.map((b) => b.name).join(', ')})`
    );
  }
  if (backend.bundled || process.platform !== 'linux') return undefined;
  const missing = providerLibraries[kind].filter(
    (lib) => !fs.existsSync(path.join(support.binaryDir, lib)),
  );
  if (missing.length === 0) return undefined;
  return (
    `${missing.join(', ')} not found in ${support.binaryDir}: the npm onnxruntime-node is CPU-only unless its ` +
    `install script downloads the GPU libraries (skipped here); on a Jetson use the image built by Dockerfile.jetson`
  );
}

/** ORT's message for a provider that failed at session creation, with a hint where it is terse. */
export function sessionFailureReason(
  kind: ExecutionProviderKind,
  error: unknown,
  support: ProviderSupport = providerSupport(),
): string {
  const message = errorText(error).split('\n')[0]?.trim() ?? '';
  if (/failed to load shared library/i.test(message) && kind !== 'cpu') {
    const lib = path.join(support.binaryDir, providerLibraries[kind][1] ?? '');
    return `${message} (a library it needs is missing or of the wrong version: run \`ldd ${lib}\`)`;
  }
  return kind === 'webgpu' ? ortMessage(message) : message;
}
