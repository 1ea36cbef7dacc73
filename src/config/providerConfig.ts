import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { ConfigReader } from './configReader.js';
import type {
  CudaProvider,
  ExecutionProviderKind,
  TensorRtProvider,
  WebGpuProvider,
  WebGpuValidationMode,
} from '../inference/executionProvider.js';

/**
 * Execution providers per model, parsed from the `inference:` mapping:
 *
 * ```yaml
 * inference:
 *   threads: 4                        # default of cpu.threads
 *   provider: [tensorrt, cuda, cpu]   # fallback chain, best first (or one name); default [cpu]
 *                                     # kinds: tensorrt, cuda, webgpu, cpu
 *   tensorrt: { device_id: 0, fp16: true, int8: false, cache_dir: ~/.cache/mobilenet-ros/tensorrt, workspace_bytes: 1073741824 }
 *   cuda: { device_id: 0 }
 *   webgpu: { preferred_layout: NHWC, validation_mode: basic }   # both optional: ORT's defaults
 *   cpu: { threads: 4 }
 *   models:                           # per-model overrides of the keys above (manifest model names)
 *     face_embedding: { provider: [cuda, cpu] }
 * ```
 *
 * Only lists of strings and nested mappings: a ROS 2 parameters file can carry all of it.
 */

/** The CPU provider as configured: threads always set. */
export interface CpuProviderConfig {
  readonly kind: 'cpu';
  /** Intra-op threads, in [1, 64]. Default: inference.threads. */
  readonly threads: number;
}

/** One configured provider; assignable to the inference layer's ExecutionProvider. */
export type ProviderConfig = TensorRtProvider | CudaProvider | WebGpuProvider | CpuProviderConfig;

/** A fallback chain: at least one provider, no kind twice, best first. */
export type ProviderChain = readonly ProviderConfig[];

export interface ProvidersConfig {
  /** The chain of every model without its own entry. Default [cpu]. */
  readonly chain: ProviderChain;
  /** Per-model chains by manifest model name (e.g. 'coco_detector'). */
  readonly models: Readonly<Record<string, ProviderChain>>;
}

/** Keys this module reads inside `inference:` (besides `threads`); parseConfig's allow-list takes them. */
export const PROVIDER_CONFIG_KEYS = [
  'provider',
  'tensorrt',
  'cuda',
  'webgpu',
  'cpu',
  'models',
] as const;

const KINDS: readonly ExecutionProviderKind[] = ['tensorrt', 'cuda', 'webgpu', 'cpu'];

/** The settings mapping of each kind: `inference.<kind>` and `inference.models.<name>.<kind>`. */
const SETTINGS_KEYS: readonly string[] = KINDS;

const WEBGPU_VALIDATION_MODES: readonly WebGpuValidationMode[] = ['wgpuOnly', 'basic', 'full'];

/** Default TensorRT settings. */
export const TENSORRT_DEFAULTS = {
  deviceId: 0,
  fp16: true,
  int8: false,
  /** 1 GiB: enough for MobileNet-sized engines, and a Jetson shares this memory with the CPU. */
  workspaceBytes: 1 << 30,
} as const;

/** Where TensorRT engines are cached unless `inference.tensorrt.cache_dir` says otherwise. */
export function defaultTensorRtCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'mobilenet-ros', 'tensorrt');
}

/** The providers config when `inference:` names none: every model on the CPU. */
export function defaultProvidersConfig(threads: number): ProvidersConfig {
  return { chain: [{ kind: 'cpu', threads }], models: {} };
}

/** The same chains with every CPU entry set to `threads` (a `--threads` override). */
export function withCpuThreads(config: ProvidersConfig, threads: number): ProvidersConfig {
  const retarget = (chain: ProviderChain): ProviderChain =>
    chain.map((p) => (p.kind === 'cpu' ? { ...p, threads } : p));
  return {
    chain: retarget(config.chain),
    models: Object.fromEntries(
      Object.entries(config.models).map(([model, chain]) => [model, retarget(chain)]),
    ),
  };
}

/** The chain of one model: its own entry, else the default chain. */
export function providerChainFor(config: ProvidersConfig, model: string): ProviderChain {
  return config.models[model] ?? config.chain;
}

export interface ParseProvidersOptions {
  /** Named in errors, e.g. the config file. Default 'config'. */
  source?: string;
  /** Relative `cache_dir` values resolve against this (the config file's folder). Default process.cwd(). */
  baseDir?: string;
  /** inference.threads as parsed: the default of cpu.threads. */
  threads: number;
}

/**
 * Parses the provider keys of an `inference:` mapping (other keys are left to parseConfig).
 * Errors are ConfigErrors naming the key with its path, the allowed values and the value found.
 */
export function parseProvidersConfig(
  inference: unknown,
  options: ParseProvidersOptions,
): ProvidersConfig {
  const source = options.source ?? 'config';
  const baseDir = options.baseDir ?? process.cwd();
  const root = new ConfigReader(inference, source, 'inference.');
  const chain = parseChain(root, undefined, source, baseDir, options.threads) ?? [
    { kind: 'cpu', threads: options.threads },
  ];
  const models: Record<string, ProviderChain> = {};
  const modelsMap = root.child('models');
  for (const name of modelsMap.keys()) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      throw new ConfigError(
        'CONFIG_INVALID',
        `${source}: 'inference.models.${name}' is not a model name ([a-z][a-z0-9_]*)`,
      );
    }
    const entry = modelsMap.child(name);
    entry.only(['provider', ...SETTINGS_KEYS]);
    models[name] = parseChain(entry, root, source, baseDir, options.threads) ?? chain;
  }
  return { chain, models };
}

/**
 * The chain of one mapping (the `inference:` root, or a `models.<name>` entry whose provider
 * settings override the root's key by key).
 */
function parseChain(
  map: ConfigReader,
  parent: ConfigReader | undefined,
  source: string,
  baseDir: string,
  threads: number,
): ProviderChain | undefined {
  const names = providerNames(map, 'provider');
  const settingsGiven = SETTINGS_KEYS.some((k) => map.raw(k) !== undefined);
  if (parent !== undefined && names === undefined && !settingsGiven) return undefined;
  const kinds = (
    names ??
    (parent === undefined ? undefined : providerNames(parent, 'provider')) ?? ['cpu']
  ).map((name, i) => {
    if (!(KINDS as readonly string[]).includes(name)) {
      throw map.error(
        `provider[${i}]`,
        `must be one of ${KINDS.map((k) => `'${k}'`).join(', ')}`,
        name,
      );
    }
    return name as ExecutionProviderKind;
  });
  if (kinds.length === 0)
    throw map.error('provider', 'must name at least one execution provider', []);
  const duplicate = kinds.find((k, i) => kinds.indexOf(k) !== i);
  if (duplicate !== undefined) throw map.error('provider', `names '${duplicate}' twice`, kinds);
  const settings = validateSettings(map, source, baseDir, threads, parent);
  return kinds.map((kind) => settings[kind]);
}

/** Every provider's settings of a mapping, checked whether or not its chain uses them. */
function validateSettings(
  map: ConfigReader,
  source: string,
  baseDir: string,
  threads: number,
  parent?: ConfigReader,
): {
  readonly tensorrt: TensorRtProvider;
  readonly cuda: CudaProvider;
  readonly webgpu: WebGpuProvider;
  readonly cpu: CpuProviderConfig;
} {
  const inherited =
    parent === undefined ? undefined : validateSettings(parent, source, baseDir, threads);
  const trt = map.child('tensorrt');
  trt.only(['device_id', 'fp16', 'int8', 'cache_dir', 'workspace_bytes']);
  const cacheDir = trt.string('cache_dir');
  const cuda = map.child('cuda');
  cuda.only(['device_id']);
  const webgpu = map.child('webgpu');
  webgpu.only(['preferred_layout', 'validation_mode']);
  if (webgpu.raw('validation_mode') === 'disabled') {
    throw webgpu.error(
      'validation_mode',
      "must be 'wgpuOnly', 'basic' or 'full' ('disabled' is not offered: onnxruntime warns that a WebGPU error can then crash the Node process)",
      'disabled',
    );
  }
  const preferredLayout =
    webgpu.choice('preferred_layout', ['NCHW', 'NHWC'] as const) ??
    inherited?.webgpu.preferredLayout;
  const validationMode =
    webgpu.choice('validation_mode', WEBGPU_VALIDATION_MODES) ?? inherited?.webgpu.validationMode;
  const cpu = map.child('cpu');
  cpu.only(['threads']);
  const trtBase = inherited?.tensorrt ?? {
    kind: 'tensorrt',
    ...TENSORRT_DEFAULTS,
    cacheDir: defaultTensorRtCacheDir(),
  };
  return {
    tensorrt: {
      kind: 'tensorrt',
      deviceId: trt.integer('device_id', 0, 63) ?? trtBase.deviceId,
      fp16: trt.boolean('fp16') ?? trtBase.fp16,
      int8: trt.boolean('int8') ?? trtBase.int8,
      cacheDir: cacheDir === undefined ? trtBase.cacheDir : resolvePath(cacheDir, baseDir),
      workspaceBytes: trt.integer('workspace_bytes', 1 << 20, 2 ** 40) ?? trtBase.workspaceBytes,
    },
    cuda: {
      kind: 'cuda',
      deviceId: cuda.integer('device_id', 0, 63) ?? inherited?.cuda.deviceId ?? 0,
    },
    webgpu: {
      kind: 'webgpu',
      ...(preferredLayout === undefined ? {} : { preferredLayout }),
      ...(validationMode === undefined ? {} : { validationMode }),
    },
    cpu: {
      kind: 'cpu',
      threads: cpu.integer('threads', 1, 64) ?? inherited?.cpu.threads ?? threads,
    },
  };
}

function resolvePath(value: string, baseDir: string): string {
  if (value === '~' || value.startsWith('~/')) return path.join(os.homedir(), value.slice(1));
  return path.resolve(baseDir, value);
}

/** A provider name or a list of them (a single name is a list of one). */
function providerNames(map: ConfigReader, key: string): string[] | undefined {
  const value = map.raw(key);
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw map.error(key, 'must be a provider name or a list of them', value);
  }
  return value;
}
