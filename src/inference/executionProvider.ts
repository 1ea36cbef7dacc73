/**
 * Where a model runs. Parsed once from config (src/config/providerConfig.ts) into one of these;
 * a model gets an ordered chain of them and runs on the first that works (see ModelSession).
 * CPU is always available.
 */
export type ExecutionProvider = CpuProvider | CudaProvider | TensorRtProvider | WebGpuProvider;

export interface CpuProvider {
  readonly kind: 'cpu';
  /** Intra-op threads. Default: the session's `intraOpThreads` (itself the number of cores). */
  readonly threads?: number;
}

export interface CudaProvider {
  readonly kind: 'cuda';
  /** CUDA device ordinal. */
  readonly deviceId: number;
}

export interface TensorRtProvider {
  readonly kind: 'tensorrt';
  /** CUDA device ordinal. */
  readonly deviceId: number;
  /** Let TensorRT pick FP16 kernels (ORT `trt_fp16_enable`). */
  readonly fp16: boolean;
  /**
   * INT8 precision (ORT `trt_int8_enable`). For QDQ models with symmetric int8 Q/DQ (zero point
   * 0), whose scales TensorRT uses directly. Not for the COCO detector: its QDQ form keeps
   * TFLite's uint8 zero points, and a float model would need a calibration table.
   */
  readonly int8: boolean;
  /** Engine (and timing) cache folder (ORT `trt_engine_cache_path`); building an engine takes minutes on a Jetson. */
  readonly cacheDir: string;
  /** Builder workspace limit in bytes (ORT `trt_max_workspace_size`). */
  readonly workspaceBytes: number;
}

/**
 * ONNX Runtime's WebGPU provider (Dawn, on Vulkan under Linux), compiled into the npm
 * onnxruntime-node for linux x64. Without a Vulkan driver and GPU it finds no adapter and the
 * chain moves on (see webGpuProbe.ts). Unset settings keep ORT's defaults.
 */
export interface WebGpuProvider {
  readonly kind: 'webgpu';
  /** Layout of layout-sensitive operators (ORT `preferredLayout`). */
  readonly preferredLayout?: 'NCHW' | 'NHWC';
  /**
   * ORT `validationMode`: 'basic' (ORT's default) checks every GPU program's inputs; 'wgpuOnly'
   * leaves it to WebGPU itself; 'full' is for debugging. ORT's 'disabled' is not offered: its
   * typings warn that a WebGPU error can then crash the Node process.
   */
  readonly validationMode?: WebGpuValidationMode;
}

export type WebGpuValidationMode = 'wgpuOnly' | 'basic' | 'full';

export type ExecutionProviderKind = ExecutionProvider['kind'];

export const CPU: ExecutionProvider = { kind: 'cpu' };

/** Short form for logs: `cpu`, `cuda:0`, `tensorrt:0 (fp16)`, `webgpu (NHWC)`. */
export function describeProvider(provider: ExecutionProvider): string {
  switch (provider.kind) {
    case 'cpu':
      return provider.threads === undefined ? 'cpu' : `cpu (${provider.threads} threads)`;
    case 'cuda':
      return `cuda:${provider.deviceId}`;
    case 'tensorrt': {
      const precision = [provider.fp16 ? 'fp16' : '', provider.int8 ? 'int8' : ''].filter(
        (s) => s !== '',
      );
      return `tensorrt:${provider.deviceId}${precision.length > 0 ? ` (${precision.join('+')})` : ''}`;
    }
    case 'webgpu':
      return provider.preferredLayout === undefined
        ? 'webgpu'
        : `webgpu (${provider.preferredLayout})`;
  }
}

/**
 * The entry of onnxruntime's `executionProviders` session option for a provider. TensorRT
 * settings use ORT's own provider-option names (`trt_*`, string values). The stock
 * onnxruntime-node binding forwards only `deviceId` and ignores the rest; the binding built by
 * Dockerfile.jetson is patched (src/inference/jetson/patch_ort_node_tensorrt_options.py) to pass every
 * `trt_*` property to UpdateTensorRTProviderOptions.
 */
export function ortProviderEntry(
  provider: ExecutionProvider,
): { readonly name: string } & Record<string, unknown> {
  switch (provider.kind) {
    case 'cpu':
      return { name: 'cpu' };
    case 'cuda':
      return { name: 'cuda', deviceId: provider.deviceId };
    case 'tensorrt':
      return {
        name: 'tensorrt',
        deviceId: provider.deviceId,
        trt_fp16_enable: provider.fp16 ? '1' : '0',
        trt_int8_enable: provider.int8 ? '1' : '0',
        trt_engine_cache_enable: '1',
        trt_engine_cache_path: provider.cacheDir,
        trt_timing_cache_enable: '1',
        trt_timing_cache_path: provider.cacheDir,
        trt_max_workspace_size: String(provider.workspaceBytes),
      };
    case 'webgpu':
      // The binding refuses any other key on a webgpu entry ('unrecognized option'), deviceId included.
      return {
        name: 'webgpu',
        ...(provider.preferredLayout === undefined
          ? {}
          : { preferredLayout: provider.preferredLayout }),
        ...(provider.validationMode === undefined
          ? {}
          : { validationMode: provider.validationMode }),
      };
  }
}
