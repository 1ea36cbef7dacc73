/**
 * A test double of exactly the rclnodejs API the node uses, typed against rclnodejs's own
 * declarations (node_modules/rclnodejs/types): `implements` the same Pick<> types as
 * src/ros/rclApi.ts, so a change in rclnodejs's typings breaks the build here, not on a robot.
 *
 * Parameters, descriptors, ranges and QoS are rclnodejs's real classes (pure JavaScript in
 * rclnodejs/lib, loadable without the native binding), so range checks behave as on a robot.
 * Every published message is CDR-serialised against the package's .msg definitions, so a
 * misspelt or missing field fails the test that published it.
 *
 * Test code only (the unit tests of the node and the test-double benchmark,
 * test/tools/rosNodeBench.ts): nothing under src/ may import it (test/structure/).
 */
import type * as rclnodejs from 'rclnodejs';
import type {
  RclClasses,
  RosLogger,
  RosMessageType,
  RosNode,
  RosRunnableNode,
  TopicEndpointInfo,
} from '../../src/ros/rclApi.js';
import { packageCodec } from '../../src/ros/packageCodecs.js';
import type { OverrideValue, ResolvedOverride } from '../../src/ros/parameterOverrides.js';

/** A message type as the node passes it (rclApi.ts: narrowed once rclnodejs generated its typings). */
type TypeClass = RosMessageType;
type SubscriptionCallback =
  rclnodejs.SubscriptionCallback<TypeClass> | rclnodejs.SubscriptionWithRawMessageCallback;

/**
 * Parameter values as a params file keyed `/**` would give them, in the form the node takes
 * them (DetectorNodeOptions.overrides). Numbers that are integers count as YAML integers, which
 * the node also accepts for doubles; bigints are integers.
 */
export function givenParameters(
  values: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>,
): Map<string, ResolvedOverride> {
  const entries: [string, unknown][] =
    values instanceof Map ? [...(values as ReadonlyMap<string, unknown>)] : Object.entries(values);
  return new Map(
    entries.map(([name, value]): [string, ResolvedOverride] => [
      name,
      { ...overrideOf(value), from: '/**' },
    ]),
  );
}

function overrideOf(value: unknown): OverrideValue {
  if (typeof value === 'boolean') return { type: 'bool', value };
  if (typeof value === 'bigint') return { type: 'integer', value: Number(value) };
  if (typeof value === 'number')
    return { type: Number.isInteger(value) ? 'integer' : 'double', value };
  if (typeof value === 'string') return { type: 'string', value };
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return { type: 'string_array', value };
  throw new TypeError(`no parameter type for ${JSON.stringify(value)}`);
}

/** rclnodejs's real pure-JS Parameter, ParameterDescriptor, ranges and QoS (no binding needed). */
export async function realRclClasses(): Promise<RclClasses> {
  // Variable specifiers: these lib files have no .d.ts of their own; they are typed through RclClasses.
  const parameterModule = 'rclnodejs/lib/parameter.js';
  const qosModule = 'rclnodejs/lib/qos.js';
  const parameters = (await import(parameterModule)) as Omit<RclClasses, 'QoS'>;
  const qos = (await import(qosModule)) as { default: RclClasses['QoS'] };
  return {
    Parameter: parameters.Parameter,
    ParameterDescriptor: parameters.ParameterDescriptor,
    FloatingPointRange: parameters.FloatingPointRange,
    IntegerRange: parameters.IntegerRange,
    QoS: qos.default,
  };
}

/** CDR-encodes a message against the package's definition of its type (throws MessageError on a bad field). */
export function encodeAgainstDefinition(typeName: string, message: unknown): Uint8Array {
  return packageCodec(typeName).encode(message);
}

/** Decodes CDR bytes of `typeName` (what a raw publish carries) back into a message object. */
export function decodeAgainstDefinition(typeName: string, bytes: Uint8Array): unknown {
  return packageCodec(typeName).decode(bytes);
}

export class FakeTime implements rclnodejs.Time {
  readonly clockType = 1 as rclnodejs.ClockType;

  constructor(readonly nanoseconds: bigint) {}

  get secondsAndNanoseconds(): { seconds: bigint; nanoseconds: bigint } {
    return {
      seconds: this.nanoseconds / 1_000_000_000n,
      nanoseconds: this.nanoseconds % 1_000_000_000n,
    };
  }

  add(): rclnodejs.Time {
    throw new Error('not used by the node');
  }
  sub(): rclnodejs.Time {
    throw new Error('not used by the node');
  }
  eq(other: rclnodejs.Time): boolean {
    return other.nanoseconds === this.nanoseconds;
  }
  ne(other: rclnodejs.Time): boolean {
    return !this.eq(other);
  }
  lt(other: rclnodejs.Time): boolean {
    return this.nanoseconds < other.nanoseconds;
  }
  lte(other: rclnodejs.Time): boolean {
    return this.nanoseconds <= other.nanoseconds;
  }
  gt(other: rclnodejs.Time): boolean {
    return this.nanoseconds > other.nanoseconds;
  }
  gte(other: rclnodejs.Time): boolean {
    return this.nanoseconds >= other.nanoseconds;
  }
  toMsg(): ReturnType<rclnodejs.Time['toMsg']> {
    const { seconds, nanoseconds } = this.secondsAndNanoseconds;
    return { sec: Number(seconds), nanosec: Number(nanoseconds) };
  }
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  message: string;
}

export class FakeLogger implements RosLogger {
  readonly lines: LogLine[] = [];
  readonly loggerEffectiveLevel = 20 as rclnodejs.Logging.LoggingSeverity;
  readonly LoggingSeverity = 20 as rclnodejs.Logging.LoggingSeverity;

  constructor(readonly name: string) {}

  setLoggerLevel(): void {}
  debug(message: string): boolean {
    return this.log('debug', message);
  }
  info(message: string): boolean {
    return this.log('info', message);
  }
  warn(message: string): boolean {
    return this.log('warn', message);
  }
  error(message: string): boolean {
    return this.log('error', message);
  }
  fatal(message: string): boolean {
    return this.log('fatal', message);
  }
  getChild(name: string): RosLogger {
    return new FakeLogger(`${this.name}.${name}`);
  }
  destroy(): void {}

  private log(level: LogLine['level'], message: string): boolean {
    this.lines.push({ level, message });
    return true;
  }
}

abstract class FakeEntity {
  destroyed = false;
  readonly typedArrayEnabled: boolean;
  readonly qos: rclnodejs.QoS;

  constructor(
    readonly typeClass: TypeClass,
    readonly topic: string,
    public options: rclnodejs.Options,
  ) {
    this.typedArrayEnabled = options.enableTypedArray ?? true;
    this.qos = options.qos as rclnodejs.QoS;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  get loggerName(): string {
    return 'fake';
  }
}

/** A published message with its CDR bytes. */
export interface Published {
  readonly message: unknown;
  readonly cdr: Uint8Array;
}

export class FakePublisher extends FakeEntity implements rclnodejs.Publisher<TypeClass> {
  willValidateMessage = false;
  readonly published: Published[] = [];
  /** Messages published so far (also when not retained). */
  count = 0;
  /** Keep published messages in `published` (benchmarks turn it off so memory stays flat). */
  retain = true;
  /** Subscribers other nodes have on this topic. */
  subscribers = 0;

  publish(message: unknown): void {
    if (this.destroyed) throw new Error(`publish on destroyed publisher ${this.topic}`);
    if (typeof this.typeClass !== 'string')
      throw new Error('the node must name message types by string');
    // rclnodejs publishes a Buffer as serialized bytes, anything else as a message object.
    const cdr =
      message instanceof Buffer ? message : encodeAgainstDefinition(this.typeClass, message);
    this.count++;
    if (this.retain) {
      const decoded =
        message instanceof Buffer ? decodeAgainstDefinition(this.typeClass, message) : message;
      this.published.push({ message: decoded, cdr });
    }
  }

  setValidation(): void {}

  subscriptionCount(): number {
    return this.subscribers;
  }

  waitForAllAcked(): boolean {
    return true;
  }

  assertLiveliness(): void {}
}

export class FakeSubscription extends FakeEntity implements rclnodejs.Subscription {
  readonly isRaw: boolean;

  constructor(
    typeClass: TypeClass,
    topic: string,
    options: rclnodejs.Options,
    readonly callback: (message: unknown) => void,
  ) {
    super(typeClass, topic, options);
    this.isRaw = options.isRaw ?? false;
  }

  isContentFilterSupported(): boolean {
    return false;
  }
  hasContentFilter(): boolean {
    return false;
  }
  setContentFilter(): boolean {
    return false;
  }
  getContentFilter(): undefined {
    return undefined;
  }
  clearContentFilter(): boolean {
    return false;
  }
  publisherCount(): number {
    return 0;
  }
}

/** What rclnodejs returns from a parameter set. */
interface SetResult {
  successful: boolean;
  reason: string;
}

/**
 * The node. Parameter handling follows rclnodejs 2.2's lib/node.js: overrides (as from
 * --params-file / -p) replace declared defaults and are validated against the descriptor; a set
 * runs the pre-set callbacks, then the descriptor checks (read-only, type, range), then the
 * on-set callbacks, and stores the values only if all agree.
 */
export class FakeNode implements RosRunnableNode {
  readonly subscriptions: FakeSubscription[] = [];
  readonly publishers: FakePublisher[] = [];
  readonly logger: FakeLogger;
  /** Publishers other nodes have, by fully qualified topic (for getPublishersInfoByTopic). */
  readonly graphPublishers = new Map<string, TopicEndpointInfo[]>();
  timeNs = 1_700_000_000_000_000_000n;
  spinning = false;
  destroyed = false;
  private readonly parameters = new Map<string, rclnodejs.Parameter>();
  private readonly descriptors = new Map<string, rclnodejs.ParameterDescriptor>();
  private readonly onSet: rclnodejs.SetParametersCallback[] = [];
  private readonly preSet: rclnodejs.PreSetParametersCallback[] = [];

  constructor(
    private readonly rcl: RclClasses,
    private readonly nodeName = 'mobilenet_ros',
    private readonly nodeNamespace = '/',
  ) {
    this.logger = new FakeLogger(nodeName);
  }

  name(): string {
    return this.nodeName;
  }
  namespace(): string {
    return this.nodeNamespace;
  }
  getClock(): rclnodejs.Clock {
    throw new Error('the node reads the clock through now(); only simulated time uses getClock');
  }
  getFullyQualifiedName(): string {
    return `${this.nodeNamespace.replace(/\/$/, '')}/${this.nodeName}`;
  }
  getLogger(): RosLogger {
    return this.logger;
  }
  now(): rclnodejs.Time {
    return new FakeTime(this.timeNs);
  }

  createSubscription(
    typeClass: TypeClass,
    topic: string,
    options: rclnodejs.Options | SubscriptionCallback,
    callback?: SubscriptionCallback,
  ): rclnodejs.Subscription {
    if (typeof options === 'function' || callback === undefined)
      throw new Error('the node must pass options (QoS, typed arrays)');
    const subscription = new FakeSubscription(
      typeClass,
      this.resolveTopicName(topic),
      options,
      callback as (message: unknown) => void,
    );
    this.subscriptions.push(subscription);
    return subscription;
  }

  destroySubscription(subscription: rclnodejs.Subscription): void {
    const index = this.subscriptions.indexOf(subscription as FakeSubscription);
    if (index < 0)
      throw new Error(`destroySubscription: unknown subscription ${subscription.topic}`);
    (subscription as FakeSubscription).destroyed = true;
    this.subscriptions.splice(index, 1);
  }

  /** Whether new publishers keep what they publish (see FakePublisher.retain). */
  retainPublished = true;
  /**
   * Message types this "installation" has no type support for (`pkg/msg/Type`): creating a
   * publisher of one throws as rclnodejs's interface loader does when the package is missing.
   */
  readonly missingTypes = new Set<string>();

  createPublisher(
    typeClass: TypeClass,
    topic: string,
    options?: rclnodejs.Options,
  ): rclnodejs.Publisher<TypeClass> {
    if (typeof typeClass === 'string' && this.missingTypes.has(typeClass)) {
      const [pkg, kind, name] = typeClass.split('/');
      throw new Error(
        `The message required does not exist: ${pkg ?? ''}, ${kind ?? ''}, ${name ?? ''} at /opt/ros/generated`,
      );
    }
    const publisher = new FakePublisher(typeClass, this.resolveTopicName(topic), options ?? {});
    publisher.retain = this.retainPublished;
    this.publishers.push(publisher);
    return publisher;
  }

  destroyPublisher(publisher: rclnodejs.Publisher<TypeClass>): void {
    const index = this.publishers.indexOf(publisher as FakePublisher);
    if (index < 0) throw new Error(`destroyPublisher: unknown publisher ${publisher.topic}`);
    (publisher as FakePublisher).destroyed = true;
    this.publishers.splice(index, 1);
  }

  declareParameter(
    parameter: rclnodejs.Parameter,
    descriptor?: rclnodejs.ParameterDescriptor,
    ignoreOverride = false,
  ): rclnodejs.Parameter {
    // The node resolves its overrides itself (parameterOverrides.ts) and passes them as values.
    if (!ignoreOverride) throw new Error('the node must declare with ignoreOverride = true');
    if (this.parameters.has(parameter.name))
      throw new Error(`parameter ${parameter.name} already declared`);
    if (descriptor === undefined)
      throw new Error('the node must declare parameters with descriptors');
    descriptor.validate();
    const value = parameter;
    descriptor.validateParameter(value);
    this.parameters.set(value.name, value);
    this.descriptors.set(value.name, descriptor);
    return value;
  }

  getParameter(name: string): rclnodejs.Parameter {
    const parameter = this.parameters.get(name);
    if (parameter === undefined) throw new Error(`parameter ${name} not declared`);
    return parameter;
  }

  getParameterDescriptor(name: string): rclnodejs.ParameterDescriptor {
    const descriptor = this.descriptors.get(name);
    if (descriptor === undefined) throw new Error(`parameter ${name} not declared`);
    return descriptor;
  }

  addOnSetParametersCallback(callback: rclnodejs.SetParametersCallback): void {
    this.onSet.unshift(callback);
  }

  addPreSetParametersCallback(callback: rclnodejs.PreSetParametersCallback): void {
    this.preSet.push(callback);
  }

  /** As `ros2 param set`: one parameter, with rclnodejs's order of checks. */
  setParameter(name: string, value: unknown): SetResult {
    const declared = this.getParameter(name);
    let list = [new this.rcl.Parameter(name, typeOf(value, declared.type), value)];
    for (const callback of this.preSet) {
      list = callback(list);
      if (list.length === 0)
        return {
          successful: false,
          reason: 'parameter list is empty after pre-set callback; set rejected',
        };
    }
    for (const parameter of list) {
      const descriptor = this.getParameterDescriptor(parameter.name);
      if (descriptor.readOnly)
        return { successful: false, reason: `Parameter ${parameter.name} is readonly` };
      try {
        descriptor.validateParameter(parameter);
      } catch {
        return { successful: false, reason: `Parameter ${parameter.name} does not  readonly` };
      }
    }
    for (const callback of this.onSet) {
      // unknown first: rclnodejs types the result only once it generated its interfaces.
      const answer: unknown = callback(list);
      const result = answer as SetResult;
      if (!result.successful) return result;
    }
    for (const parameter of list) this.parameters.set(parameter.name, parameter);
    return { successful: true, reason: '' };
  }

  /** In the shape of rclnodejs's binding: the QoS under `qos_profile`. */
  getPublishersInfoByTopic(topic: string): object[] {
    return (this.graphPublishers.get(topic) ?? []).map(({ qos, ...rest }) => ({
      ...rest,
      qos_profile: qos,
    }));
  }

  resolveTopicName(topic: string): string {
    const ns = this.nodeNamespace === '/' ? '' : this.nodeNamespace;
    if (topic.startsWith('/')) return topic;
    if (topic.startsWith('~/')) return `${ns}/${this.nodeName}/${topic.slice(2)}`;
    return `${ns}/${topic}`;
  }

  spin(): void {
    this.spinning = true;
  }

  destroy(): void {
    this.destroyed = true;
    this.spinning = false;
  }

  /** Delivers a message to the subscription on `topic` (fully qualified), as rcl would. */
  deliver(topic: string, message: unknown): void {
    const subscription = this.subscriptions.find((s) => s.topic === topic);
    if (subscription === undefined)
      throw new Error(
        `no subscription on ${topic}; have ${this.subscriptions.map((s) => s.topic).join(', ')}`,
      );
    if (!subscription.isRaw) {
      subscription.callback(message);
      return;
    }
    // A raw subscription gets the serialized message, as rclnodejs's rclTakeRaw hands it over.
    if (typeof subscription.typeClass !== 'string')
      throw new Error('the node must name message types by string');
    subscription.callback(Buffer.from(encodeAgainstDefinition(subscription.typeClass, message)));
  }

  /** Delivers bytes as they are to a raw subscription (bytes that need not be a valid message). */
  deliverRaw(topic: string, bytes: Uint8Array): void {
    const subscription = this.subscriptions.find((s) => s.topic === topic);
    if (subscription?.isRaw !== true) throw new Error(`no raw subscription on ${topic}`);
    subscription.callback(Buffer.from(bytes));
  }

  publisher(topic: string): FakePublisher {
    const publisher = this.publishers.find((p) => p.topic === topic);
    if (publisher === undefined)
      throw new Error(
        `no publisher on ${topic}; have ${this.publishers.map((p) => p.topic).join(', ')}`,
      );
    return publisher;
  }
}

/** The parameter type `ros2 param set` infers from a value. */
function typeOf(value: unknown, declared: rclnodejs.ParameterType): rclnodejs.ParameterType {
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'bigint') return 2;
  if (typeof value === 'number')
    return Number.isInteger(value) && declared === (2 as rclnodejs.ParameterType) ? 2 : 3;
  if (typeof value === 'string') return 4;
  if (Array.isArray(value)) return 9;
  return declared;
}

/** Compile-time check that the double covers what the node uses. */
export const nodeTypeCheck: (node: FakeNode) => RosNode = (node) => node;
