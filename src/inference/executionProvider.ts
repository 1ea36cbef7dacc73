/**
 * Where a model runs. Parsed once from config into one of these; issue #6 adds the fallback
 * chain. CPU is always available.
 */
export type ExecutionProvider =
  | { readonly kind: 'cpu' }
  | { readonly kind: 'cuda'; readonly deviceId: number }
  | { readonly kind: 'tensorrt'; readonly deviceId: number; readonly fp16: boolean; readonly cacheDir: string };

export const CPU: ExecutionProvider = { kind: 'cpu' };
