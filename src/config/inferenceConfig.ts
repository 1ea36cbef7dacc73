import os from 'node:os';
import { MODELS_SETTINGS, PROVIDER_SETTINGS, type ProvidersConfig } from './providerConfig.js';
import { computed, setting } from './settings/setting.js';
import type { SettingValues } from './settings/settingValues.js';

/** `inference.threads` and `inference.spin_wait`: how ONNX Runtime runs every model. */
export const INFERENCE_RUNTIME_SETTINGS = {
  threads: setting({
    kind: 'integer',
    range: [1, 64],
    default: computed('number of cores', () => os.availableParallelism()),
    description: 'ONNX Runtime intra-op threads per model',
  }),
  // Default false: in the node and in replay, decoding and publishing share the cores with
  // inference, and a spinning thread takes their time (measured on 2 cores: the full replay path
  // about 5% faster without spinning, the bare model loop about 5% slower). True suits a board
  // where inference has the cores to itself.
  spin_wait: setting({
    kind: 'bool',
    default: false,
    description: "ONNX Runtime's idle threads busy-wait (faster alone, slower beside decoding)",
  }),
} as const;

/**
 * The `inference:` mapping: the runtime settings, the default provider chain with its settings,
 * and per-model chains (`models.<model>.*`, the same group, inheriting what they leave out).
 */
export const INFERENCE_SETTINGS = {
  ...INFERENCE_RUNTIME_SETTINGS,
  ...PROVIDER_SETTINGS,
  models: MODELS_SETTINGS,
} as const;

export type InferenceConfig = SettingValues<typeof INFERENCE_RUNTIME_SETTINGS> & {
  /** Execution provider chains per model. Default: every model on the CPU with `threads`. */
  readonly providers: ProvidersConfig;
};
