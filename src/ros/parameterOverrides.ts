/**
 * Which of the parameter values rcl parsed (every --params-file and -p, in order) apply to a
 * node, decided as rclcpp and rclpy decide it on ROS 2 Humble. rclnodejs 2.2 looks only at the
 * keys `/**` and the bare node name, so it drops what launch_ros writes (the fully qualified
 * name, `/ns/node`); this file is the one place where the node resolves them instead.
 *
 * The rules, measured against rclcpp 16.0.11 and rclpy 3.3.15 with the same files
 * (test/ros/parameterOverrides.test.ts keeps those cases):
 * - A key names nodes by fully qualified name. A key without a leading slash gets one, so a
 *   bare `mobilenet_ros:` means `/mobilenet_ros` and does not reach `/robot1/mobilenet_ros`.
 * - `/*` stands for exactly one name segment and `/**` for any number of them (none too), so
 *   `/**` matches every node, `/*` every node in the root namespace, `/**\/name` the node
 *   `name` in any namespace.
 * - rcl keeps one entry per distinct key, in the order the keys first appeared across all
 *   files and `-p` rules; a key seen again adds to (or overwrites within) its first entry.
 *   The entries that match are applied in that order, so the later entry wins: a `/**` file
 *   given before a `/mobilenet_ros` file loses to it, and given after, beats it.
 * Pure: no rclnodejs; the entries come from rcl (nativeParameterOverrides.ts) or from a test.
 */

/** rcl_interfaces/msg/ParameterType values that rcl's YAML parser can produce. */
export type OverrideType =
  | 'bool'
  | 'integer'
  | 'double'
  | 'string'
  | 'bool_array'
  | 'integer_array'
  | 'double_array'
  | 'string_array';

/** One parameter value as rcl parsed it. Integers are kept apart from doubles (`1` vs `1.0`). */
export interface OverrideValue {
  readonly type: OverrideType;
  readonly value:
    boolean | number | string | readonly boolean[] | readonly number[] | readonly string[];
}

/** One node key of rcl's parsed parameters (rcl_params_t), with its parameters in order. */
export interface OverrideEntry {
  /** The key as written: `/**`, `/*`, `mobilenet_ros`, `/robot1/mobilenet_ros`, `/**\/mobilenet_ros`. */
  readonly node: string;
  readonly parameters: readonly { readonly name: string; readonly value: OverrideValue }[];
}

/** A resolved value and the key it came from (for messages that say where a bad value was given). */
export interface ResolvedOverride extends OverrideValue {
  readonly from: string;
}

/**
 * The overrides that apply to the node with this fully qualified name (after remapping:
 * `__node`, `__ns`, launch's `namespace`).
 * @throws RangeError when `fullyQualifiedName` is not absolute.
 */
export function resolveParameterOverrides(
  entries: readonly OverrideEntry[],
  fullyQualifiedName: string,
): Map<string, ResolvedOverride> {
  if (!fullyQualifiedName.startsWith('/')) {
    throw new RangeError(
      `'fullyQualifiedName' must start with '/', got ${JSON.stringify(fullyQualifiedName)}`,
    );
  }
  const resolved = new Map<string, ResolvedOverride>();
  for (const entry of entries) {
    if (!nodeKeyMatches(entry.node, fullyQualifiedName)) continue;
    for (const { name, value } of entry.parameters) {
      resolved.set(name, { ...value, from: entry.node });
    }
  }
  return resolved;
}

/** Whether a node key of a parameters file names this node (rclcpp's parameter_map_from). */
export function nodeKeyMatches(key: string, fullyQualifiedName: string): boolean {
  const absolute = key.startsWith('/') ? key : `/${key}`;
  // rclcpp replaces each "/*" with "(/\w+)" and matches the rest as a regular expression, so
  // "/**" becomes "(/\w+)*". Node names hold only letters, digits, '_' and '/': escaping every
  // other special character except '*' keeps odd keys literal without changing real ones.
  const pattern = absolute.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('/*', '(/\\w+)');
  try {
    return new RegExp(`^(?:${pattern})$`).test(fullyQualifiedName);
  } catch {
    return false; // a key rclcpp could not match either ("**" without a slash, say)
  }
}

/** Whether a key names nodes by pattern rather than one node by name. */
export function isWildcardKey(key: string): boolean {
  return key.includes('*');
}
