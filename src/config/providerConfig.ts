import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { ConfigReader } from './configReader.js';
import { readSettings } from './settings/readSettings.js';
import { computed, each, fileOnly, setting } from './settings/setting.js';
import type { SettingValues } from './settings/settingValues.js';
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

const PROVIDER_KINDS = [
  'tensorrt',
  'cuda',
  'webgpu',
  'cpu',
] as const satisfies readonly ExecutionProviderKind[];

const WEBGPU_VALIDATION_MODES = [
  'wgpuOnly',
  'basic',
  'full',
] as const satisfies readonly WebGpuValidationMode[];

/**
 * The provider settings of `inference:`, and again of each `inference.models.<model>:`. The chain
 * and the TensorRT and CUDA settings are node parameters too (a preset given to `ros2 launch` as
 * its params file must select the GPU; `provider` is a string array there, one name taken as a
 * list of one). Config files only: the settings without a default of their own (WebGPU's, which
 * leave onnxruntime's, and cpu.threads, which follows inference.threads) and the per-model
 * entries, which the user names.
 */
export const PROVIDER_SETTINGS = {
  // Read by providerNames (a single name is a list of one); the declaration gives its choices.
  provider: setting({
    kind: 'string_array',
    choices: PROVIDER_KINDS,
    default: ['cpu'],
    description:
      'execution providers, best first (a list, or one name); each model runs on the first that works',
  }),
  tensorrt: {
    device_id: setting({
      kind: 'integer',
      range: [0, 63],
      default: 0,
      description: 'GPU ordinal for TensorRT',
    }),
    fp16: setting({ kind: 'bool', default: true, description: 'TensorRT may pick FP16 kernels' }),
    // For QDQ models with symmetric int8 Q/DQ; not the COCO detector (uint8 zero points).
    int8: setting({ kind: 'bool', default: false, description: 'TensorRT INT8 precision' }),
    cache_dir: setting({
      kind: 'string',
      format: 'path',
      default: computed('~/.cache/mobilenet-ros/tensorrt', () => defaultTensorRtCacheDir()),
      description: 'TensorRT engine and timing cache (relative: to the config file)',
    }),
    // 1 GiB: enough for MobileNet-sized engines, and a Jetson shares this memory with the CPU.
    workspace_bytes: setting({
      kind: 'integer',
      range: [1 << 20, 2 ** 40],
      default: 1 << 30,
      description: 'TensorRT builder workspace in bytes',
    }),
  },
  cuda: {
    device_id: setting({
      kind: 'integer',
      range: [0, 63],
      default: 0,
      description: 'GPU ordinal for CUDA',
    }),
  },
  webgpu: fileOnly({
    preferred_layout: setting({
      kind: 'choice',
      choices: ['NCHW', 'NHWC'],
      unset: "onnxruntime's",
      description: 'layout of layout-sensitive operators on WebGPU',
    }),
    // ORT's 'disabled' is not offered: its typings warn that a WebGPU error can then crash the
    // Node process (see validateSettings).
    validation_mode: setting({
      kind: 'choice',
      choices: WEBGPU_VALIDATION_MODES,
      unset: "onnxruntime's",
      description: 'how much WebGPU checks the programs it runs',
    }),
  }),
  cpu: fileOnly({
    threads: setting({
      kind: 'integer',
      range: [1, 64],
      unset: 'inference.threads',
      description: 'intra-op threads of a model on the CPU',
    }),
  }),
};

/** `inference.models.<model>.*`: a model's own chain, the keys it leaves out inherited. */
export const MODELS_SETTINGS = { '<model>': each(fileOnly(PROVIDER_SETTINGS)) } as const;

const MODEL_NAME = MODELS_SETTINGS['<model>'].name;

/** The keys of `inference:` that parseProvidersConfig reads (`threads` and `spin_wait` are parseConfig's). */
export const PROVIDER_CONFIG_KEYS = [...Object.keys(PROVIDER_SETTINGS), 'models'] as readonly (
  keyof typeof PROVIDER_SETTINGS | 'models'
)[];

/** The chain, and the settings mapping of each provider kind (`tensorrt:`, `cuda:`, ...). */
const { provider: PROVIDER, ...KIND_SETTINGS } = PROVIDER_SETTINGS;

type ProviderSettings = SettingValues<typeof KIND_SETTINGS>;

/** Where TensorRT engines are cached unless `inference.tensorrt.cache_dir` says otherwise. */
export function defaultTensorRtCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'mobilenet-ros', 'tensorrt');
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
  const context: ChainContext = {
    baseDir: options.baseDir ?? process.cwd(),
    threads: options.threads,
  };
  const root = new ConfigReader(inference, source, 'inference.');
  const chain = parseChain(root, undefined, context) ?? [{ kind: 'cpu', threads: options.threads }];
  const models: Record<string, ProviderChain> = {};
  const modelsMap = root.child('models');
  for (const name of modelsMap.keys()) {
    if (!MODEL_NAME.test(name)) {
      throw new ConfigError(
        'CONFIG_INVALID',
        `${source}: 'inference.models.${name}' is not a model name (${MODEL_NAME.source})`,
      );
    }
    const entry = modelsMap.child(name);
    entry.only(Object.keys(PROVIDER_SETTINGS));
    models[name] = parseChain(entry, root, context) ?? chain;
  }
  return { chain, models };
}

interface ChainContext {
  /** Relative `cache_dir` values resolve against it. */
  readonly baseDir: string;
  /** inference.threads: the default of cpu.threads. */
  readonly threads: number;
}

/**
 * The chain of one mapping (the `inference:` root, or a `models.<name>` entry whose provider
 * settings override the root's key by key).
 */
function parseChain(
  map: ConfigReader,
  parent: ConfigReader | undefined,
  context: ChainContext,
): ProviderChain | undefined {
  const names = providerNames(map, 'provider');
  const settingsGiven = Object.keys(KIND_SETTINGS).some((k) => map.raw(k) !== undefined);
  if (parent !== undefined && names === undefined && !settingsGiven) return undefined;
  const choices: readonly string[] = PROVIDER.choices;
  const kinds = (
    names ??
    (parent === undefined ? undefined : providerNames(parent, 'provider')) ??
    PROVIDER.default
  ).map((name, i) => {
    if (!choices.includes(name)) {
      throw map.error(
        `provider[${i}]`,
        `must be one of ${choices.map((k) => `'${k}'`).join(', ')}`,
        name,
      );
    }
    return name as ExecutionProviderKind;
  });
  if (kinds.length === 0)
    throw map.error('provider', 'must name at least one execution provider', []);
  const duplicate = kinds.find((k, i) => kinds.indexOf(k) !== i);
  if (duplicate !== undefined) throw map.error('provider', `names '${duplicate}' twice`, kinds);
  const settings = providers(validateSettings(map, context, parent), context);
  return kinds.map((kind) => settings[kind]);
}

/** Every provider's settings of a mapping, checked whether or not its chain uses them. */
function validateSettings(
  map: ConfigReader,
  context: ChainContext,
  parent?: ConfigReader,
): ProviderSettings {
  const inherited = parent === undefined ? undefined : validateSettings(parent, context);
  if (map.child('webgpu').raw('validation_mode') === 'disabled') {
    throw map.error(
      'webgpu.validation_mode',
      "must be 'wgpuOnly', 'basic' or 'full' ('disabled' is not offered: onnxruntime warns that a WebGPU error can then crash the Node process)",
      'disabled',
    );
  }
  const settings = readSettings(map, KIND_SETTINGS, {
    fallback: inherited ?? { cpu: { threads: context.threads } },
    refuseUnknownKeys: false,
  });
  // Resolved here, so a model's entry inherits the root's folder already resolved.
  return {
    ...settings,
    tensorrt: {
      ...settings.tensorrt,
      cacheDir: resolvePath(settings.tensorrt.cacheDir, context.baseDir),
    },
  };
}

/** The configured providers, one per kind, from their settings. */
function providers(
  settings: ProviderSettings,
  context: ChainContext,
): {
  readonly tensorrt: TensorRtProvider;
  readonly cuda: CudaProvider;
  readonly webgpu: WebGpuProvider;
  readonly cpu: CpuProviderConfig;
} {
  const { preferredLayout, validationMode } = settings.webgpu;
  return {
    tensorrt: { kind: 'tensorrt', ...settings.tensorrt },
    cuda: { kind: 'cuda', ...settings.cuda },
    // Unset WebGPU settings are left out, so ORT keeps its own defaults.
    webgpu: {
      kind: 'webgpu',
      ...(preferredLayout === undefined ? {} : { preferredLayout }),
      ...(validationMode === undefined ? {} : { validationMode }),
    },
    cpu: { kind: 'cpu', threads: settings.cpu.threads ?? context.threads },
  };
}

function resolvePath(value: string, baseDir: string): string {
  if (value === '~' || value.startsWith('~/')) return path.join(os.homedir(), value.slice(1));
  return path.resolve(baseDir, value);
}

/** A provider name or a list of them (a single name is a list of one). */
function providerNames(map: ConfigReader, key: string): readonly string[] | undefined {
  const value = map.raw(key);
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw map.error(key, 'must be a provider name or a list of them', value);
  }
  return value;
}
