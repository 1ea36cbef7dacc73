import type { Setting, SettingTemplate } from './setting.js';

/** `max_age_s` -> `maxAgeS`: config keys are snake_case, TypeScript fields camelCase. */
export type CamelCase<K extends string> = K extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : K;

/** The run-time twin of {@link CamelCase}. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

type Triple = readonly [number, number, number];

/** The parsed value of one setting. */
type ValueOf<S> = S extends { readonly kind: 'bool' }
  ? boolean
  : S extends { readonly kind: 'integer' | 'double' }
    ? number
    : S extends { readonly kind: 'choice'; readonly choices: readonly (infer C)[] }
      ? C
      : S extends { readonly kind: 'string' }
        ? string
        : S extends { readonly kind: 'string_array'; readonly choices: readonly (infer C)[] }
          ? readonly C[]
          : S extends { readonly kind: 'string_array' }
            ? readonly string[]
            : S extends { readonly kind: 'double_array'; readonly length: 3 }
              ? Triple
              : S extends { readonly kind: 'double_array' }
                ? readonly number[]
                : never;

/** A setting without a default that is not required may be absent. */
export type SettingValue<S> =
  | ValueOf<S>
  | (S extends { readonly default: unknown } | { readonly required: true } ? never : undefined);

/**
 * The parsed form of a group: camelCase fields, nested groups nested, templates left out (their
 * instances are parsed by the section that knows their names). Config types are this, so the
 * compiler holds them to the declarations.
 */
export type SettingValues<G> = {
  readonly [
    K in keyof G & string as G[K] extends SettingTemplate ? never : CamelCase<K>
  ]: G[K] extends Setting ? SettingValue<G[K]> : SettingValues<G[K]>;
};
