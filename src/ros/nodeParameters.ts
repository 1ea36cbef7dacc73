import type { AppConfig } from '../config/detectorConfig.js';
import { parseConfig } from '../config/parseConfig.js';
import { parseRosConfig, type RosConfig } from '../config/rosConfig.js';
import { ConfigError, errorText } from '../errors.js';
import {
  cameraParameterSpecs,
  isCameraName,
  staticParameterSpecs,
  type ParameterKind,
  type ParameterSpec,
} from './parameterSpecs.js';
import { isWildcardKey, type ResolvedOverride } from './parameterOverrides.js';
import {
  ParameterTypes,
  type RclClasses,
  type RosLogger,
  type RosNode,
  type RosParameter,
  type SetParametersResult,
} from './rclApi.js';

/** Parameters the node has that rclnodejs declares and handles itself (the clock source). */
const RCL_OWN_PARAMETERS: ReadonlySet<string> = new Set(['use_sim_time']);

/** Both configs, as the node runs with them. */
export interface NodeSettings {
  readonly app: AppConfig;
  readonly ros: RosConfig;
}

/**
 * Applies validated new settings; throws (with a message for the caller of `ros2 param set`) to
 * refuse them, in which case the old settings stay.
 */
export type SettingsListener = (next: NodeSettings, previous: NodeSettings) => void;

const KIND_TYPES = {
  bool: ParameterTypes.bool,
  integer: ParameterTypes.integer,
  double: ParameterTypes.double,
  string: ParameterTypes.string,
  string_array: ParameterTypes.stringArray,
} as const;

/**
 * The node's parameters: declares them with descriptors (type, range, description, read-only),
 * reads the values ROS resolved (defaults, --params-file, -p), parses them with the same parsers
 * as `--config` files, and validates run-time changes.
 */
export class NodeParameters {
  private readonly specs = new Map<string, ParameterSpec>();
  private values = new Map<string, unknown>();
  private current: NodeSettings;
  private readonly listeners: SettingsListener[] = [];
  /** A refusal found by preCheck, for onSet of the same set to return (see preCheck). */
  private pendingRefusal: string | undefined;

  private constructor(
    private readonly node: RosNode,
    private readonly rcl: RclClasses,
    private readonly logger: RosLogger,
  ) {
    this.current = undefined as unknown as NodeSettings;
  }

  /**
   * Declares every parameter, with the value the node was given where there is one, and parses
   * the result.
   * @param overrides the values resolved for this node from --params-file and -p
   *   (resolveParameterOverrides); rclnodejs's own partial resolution is bypassed.
   * @throws ConfigError naming the parameter (and the params-file key it came from) when a value
   *   given to the node is invalid.
   */
  static declare(
    node: RosNode,
    rcl: RclClasses,
    overrides: ReadonlyMap<string, ResolvedOverride> = new Map(),
  ): NodeParameters {
    const params = new NodeParameters(node, rcl, node.getLogger());
    for (const spec of staticParameterSpecs()) params.declareOne(spec, overrides.get(spec.name));
    const names = params.values.get('cameras.names');
    if (Array.isArray(names)) {
      // Names are checked by the parser below; only well-formed ones get parameters.
      for (const name of names.filter(isCameraName)) {
        for (const spec of cameraParameterSpecs(name))
          params.declareOne(spec, overrides.get(spec.name));
      }
    }
    params.current = params.parse(params.values);
    params.warnUnknown(overrides);
    node.addPreSetParametersCallback((list) => params.preCheck(list));
    node.addOnSetParametersCallback((list) => params.onSet(list));
    return params;
  }

  get settings(): NodeSettings {
    return this.current;
  }

  /** Every declared parameter. */
  get declared(): readonly ParameterSpec[] {
    return [...this.specs.values()];
  }

  /** Called with validated new settings on each accepted change; a throw refuses the change. */
  onChange(listener: SettingsListener): void {
    this.listeners.push(listener);
  }

  private declareOne(spec: ParameterSpec, override: ResolvedOverride | undefined): void {
    const type = KIND_TYPES[spec.kind];
    const value = override === undefined ? spec.defaultValue : overrideValue(spec, override);
    const defaultValue =
      spec.kind === 'integer'
        ? BigInt(value as number)
        : typeof value === 'object'
          ? value.slice()
          : value;
    const range =
      spec.range === undefined
        ? undefined
        : spec.kind === 'integer'
          ? describedRange(
              new this.rcl.IntegerRange(BigInt(spec.range[0]), BigInt(spec.range[1]), 1n),
              { from_value: BigInt(spec.range[0]), to_value: BigInt(spec.range[1]), step: 1n },
            )
          : describedRange(new this.rcl.FloatingPointRange(spec.range[0], spec.range[1], 0), {
              from_value: spec.range[0],
              to_value: spec.range[1],
              step: 0,
            });
    const description =
      spec.choices === undefined
        ? spec.description
        : `${spec.description} (one of: ${spec.choices.join(', ')})`;
    const descriptor = new this.rcl.ParameterDescriptor(
      spec.name,
      type,
      description,
      !spec.dynamic,
      range,
    );
    if (spec.choices !== undefined)
      descriptor.additionalConstraints = `one of: ${spec.choices.join(', ')}`;
    // rclnodejs 2.2's describe_parameters answer (ParameterDescriptor.toMessage) reads the range
    // from a field its constructor never sets (_rangeConstraint; the range is kept in _range),
    // so `ros2 param describe` showed no bounds. Set it: its own checks use _range, unchanged.
    if (range !== undefined) Object.assign(descriptor, { _rangeConstraint: range });
    // ignoreOverride: the value above already is the resolved override.
    const declared = this.node.declareParameter(
      new this.rcl.Parameter(spec.name, type, defaultValue),
      descriptor,
      true,
    );
    this.specs.set(spec.name, spec);
    this.values.set(spec.name, normalise(declared.value));
  }

  /**
   * A value given under this node's own name (not a wildcard, which other nodes share) that is
   * no parameter of the node is most likely a typo: say so instead of ignoring it silently.
   */
  private warnUnknown(overrides: ReadonlyMap<string, ResolvedOverride>): void {
    for (const [name, override] of overrides) {
      if (this.specs.has(name) || RCL_OWN_PARAMETERS.has(name) || isWildcardKey(override.from))
        continue;
      this.logger.warn(
        `ignored parameter '${name}' given for ${override.from}: this node has no such parameter (see config/params.yaml for the list)`,
      );
    }
  }

  /** Parses flat parameter values as the nested document the config parsers read. */
  private parse(values: ReadonlyMap<string, unknown>): NodeSettings {
    const doc: Record<string, unknown> = {};
    for (const [name, value] of values) setPath(doc, name.split('.'), value);
    return { app: parseConfig(doc, 'parameters'), ros: parseRosConfig(doc, 'parameters') };
  }

  /**
   * rclnodejs checks a change against the descriptors (read-only, type, range) between the
   * pre-set and the on-set callbacks, and refuses a bad type or range with a reason that says
   * nothing ("Parameter x does  not readonly", measured with `ros2 param set` on a real graph).
   * So the check is made here first: a bad value is logged, replaced by the parameter's current
   * value so the descriptor check passes, and the on-set callback that rclnodejs calls next in
   * the same set refuses it with the reason, which `ros2 param set` then prints.
   */
  private preCheck(list: RosParameter[]): RosParameter[] {
    this.pendingRefusal = undefined;
    for (const parameter of list) {
      if (RCL_OWN_PARAMETERS.has(parameter.name)) continue;
      const reason = this.typeOrRangeProblem(parameter, true);
      if (reason !== undefined) {
        this.logger.warn(`refused parameter change: ${reason}`);
        this.pendingRefusal = reason;
        return list.map((p) => (this.specs.has(p.name) ? this.node.getParameter(p.name) : p));
      }
    }
    return list;
  }

  private onSet(list: RosParameter[]): SetParametersResult {
    const refusal = this.pendingRefusal;
    this.pendingRefusal = undefined;
    if (refusal !== undefined) return refuse(refusal);
    const candidate = new Map(this.values);
    for (const parameter of list) {
      if (RCL_OWN_PARAMETERS.has(parameter.name)) continue;
      const reason = this.typeOrRangeProblem(parameter, true);
      if (reason !== undefined) return refuse(reason);
      candidate.set(parameter.name, normalise(parameter.value));
    }
    let next: NodeSettings;
    try {
      next = this.parse(candidate);
    } catch (error) {
      return refuse(error instanceof ConfigError ? error.message : String(error));
    }
    const previous = this.current;
    try {
      for (const listener of this.listeners) listener(next, previous);
    } catch (error) {
      // Put back what listeners already applied.
      for (const listener of this.listeners) {
        try {
          listener(previous, next);
        } catch {
          // The previous settings were accepted before; nothing better to do than keep going.
        }
      }
      return refuse(errorText(error));
    }
    this.values = candidate;
    this.current = next;
    this.logger.info(
      `parameters changed: ${list.map((p) => `${p.name}=${formatValue(p.value)}`).join(', ')}`,
    );
    return { successful: true, reason: '' };
  }

  /** What the descriptor would refuse (read-only, type, range), and with `choices` the allowed strings too. */
  private typeOrRangeProblem(parameter: RosParameter, choices: boolean): string | undefined {
    const spec = this.specs.get(parameter.name);
    if (spec === undefined) return `'${parameter.name}' is not a parameter of this node`;
    if (!spec.dynamic)
      return `'${parameter.name}' is read-only while the node runs; set it at start (--params-file or -p)`;
    const value = normalise(parameter.value);
    if (parameter.type !== KIND_TYPES[spec.kind]) {
      return `'${parameter.name}' must be ${article(spec.kind)} ${spec.kind}, got ${formatValue(parameter.value)}`;
    }
    if (
      spec.range !== undefined &&
      typeof value === 'number' &&
      !(value >= spec.range[0] && value <= spec.range[1])
    ) {
      return `'${parameter.name}' must be in [${spec.range[0]}, ${spec.range[1]}], got ${formatValue(value)}`;
    }
    if (
      choices &&
      spec.choices !== undefined &&
      !(typeof value === 'string' && spec.choices.includes(value))
    ) {
      return `'${parameter.name}' must be one of ${spec.choices.map((c) => `'${c}'`).join(', ')}, got ${formatValue(value)}`;
    }
    return undefined;
  }
}

/**
 * The value of an override for this parameter, checked as a run-time change would be (type,
 * range, choices). An integer is accepted for a double (`threshold: 1` in YAML).
 * @throws ConfigError naming the parameter, the key it was given under and what is allowed.
 */
function overrideValue(
  spec: ParameterSpec,
  override: ResolvedOverride,
): ParameterSpec['defaultValue'] {
  const where = `parameter '${spec.name}' (given for ${override.from})`;
  // One name where a list of names is declared (`provider: cpu`) is a list of one, as in a
  // config file.
  const oneForList = spec.kind === 'string_array' && override.type === 'string';
  const accepted =
    override.type === spec.kind ||
    oneForList ||
    (spec.kind === 'double' && override.type === 'integer');
  if (!accepted) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `${where} must be ${article(spec.kind)} ${spec.kind}, got ${formatValue(override.value)} (${override.type})`,
    );
  }
  const value = (oneForList ? [override.value] : override.value) as ParameterSpec['defaultValue'];
  if (
    spec.range !== undefined &&
    typeof value === 'number' &&
    !(value >= spec.range[0] && value <= spec.range[1])
  ) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `${where} must be in [${spec.range[0]}, ${spec.range[1]}], got ${formatValue(value)}`,
    );
  }
  const { choices } = spec;
  const chosen = (v: unknown): boolean => typeof v === 'string' && choices?.includes(v) === true;
  if (choices !== undefined && !(Array.isArray(value) ? value.every(chosen) : chosen(value))) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `${where} must be ${Array.isArray(value) ? 'a list of ' : ''}one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${formatValue(value)}`,
    );
  }
  return value;
}

function refuse(reason: string): SetParametersResult {
  return { successful: false, reason };
}

/** int64 parameters arrive as bigint; the config parsers take numbers. */
function normalise(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

function setPath(doc: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const next = at[key];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      at = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      at[key] = created;
      at = created;
    }
  }
  const last = path[path.length - 1];
  if (last !== undefined) at[last] = value;
}

function formatValue(value: unknown): string {
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

function article(kind: ParameterKind): string {
  return kind === 'integer' ? 'an' : 'a';
}

/**
 * The range with the fields of rcl_interfaces/msg/IntegerRange or FloatingPointRange as its own
 * enumerable properties: rclnodejs copies a plain object into the message by its enumerable keys,
 * and its Range keeps the bounds in `_fromValue`/`_toValue` behind getters, which that copy does
 * not see. Defined, not assigned: `step` is a getter of Range's prototype.
 */
function describedRange<R extends object>(range: R, fields: Record<string, unknown>): R {
  for (const [key, value] of Object.entries(fields))
    Object.defineProperty(range, key, { value, enumerable: true });
  return range;
}
