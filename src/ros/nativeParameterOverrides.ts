import { RosUnavailableError } from '../errors.js';
import type { OverrideEntry, OverrideType, OverrideValue } from './parameterOverrides.js';
import type { RosRunnableNode } from './rclApi.js';

/** rcl_interfaces/msg/ParameterType codes as rclnodejs's binding reports them (no byte arrays in YAML). */
const TYPES: Readonly<Record<number, OverrideType>> = {
  1: 'bool',
  2: 'integer',
  3: 'double',
  4: 'string',
  6: 'bool_array',
  7: 'integer_array',
  8: 'double_array',
  9: 'string_array',
};

/**
 * Every parameter value rcl parsed from the command line (--params-file in order, then -p), with
 * its node key, in rcl's own order. rclnodejs's binding exposes this as `getParameterOverrides`,
 * which its Node then filters down to two keys; we take the whole list and resolve it ourselves
 * (parameterOverrides.ts).
 *
 * @throws RosUnavailableError when the binding does not answer in the shape rclnodejs 2.x has.
 */
export async function readParameterOverrides(node: RosRunnableNode): Promise<OverrideEntry[]> {
  // rclnodejs exports lib/*; its native loader returns the binding already loaded by rclnodejs.
  const nativeModule = 'rclnodejs/lib/native_loader.js';
  const binding = ((await import(nativeModule)) as { default: unknown }).default;
  const context = (node as unknown as { context?: { handle?: unknown } }).context;
  const read = (binding as { getParameterOverrides?: unknown }).getParameterOverrides;
  if (typeof read !== 'function' || context?.handle === undefined) {
    throw new RosUnavailableError(
      'ROS_UNAVAILABLE',
      "this rclnodejs has no getParameterOverrides(context) in its binding (rclnodejs 2.x has); the node cannot read its --params-file/-p values. Install the rclnodejs version in package.json's lock file.",
    );
  }
  const raw: unknown = (read as (handle: unknown) => unknown)(context.handle);
  return toEntries(raw);
}

/** Checks the binding's answer field by field; anything unexpected is an error, never skipped. */
export function toEntries(raw: unknown): OverrideEntry[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw shapeError('a list of nodes', raw);
  return raw.map((node: unknown) => {
    const n = node as { name?: unknown; parameters?: unknown };
    if (typeof n.name !== 'string' || !Array.isArray(n.parameters)) {
      throw shapeError('{name, parameters[]} per node', node);
    }
    return {
      node: n.name,
      parameters: n.parameters.map((parameter: unknown) => {
        const p = parameter as { name?: unknown; type?: unknown; value?: unknown };
        const type = typeof p.type === 'number' ? TYPES[p.type] : undefined;
        if (typeof p.name !== 'string' || type === undefined) {
          throw shapeError('{name, type, value} per parameter', parameter);
        }
        return { name: p.name, value: { type, value: p.value } as OverrideValue };
      }),
    };
  });
}

function shapeError(expected: string, got: unknown): RosUnavailableError {
  return new RosUnavailableError(
    'ROS_UNAVAILABLE',
    `rclnodejs's getParameterOverrides answered in an unknown shape (expected ${expected}, got ${JSON.stringify(got)}); install the rclnodejs version in package.json's lock file`,
  );
}
