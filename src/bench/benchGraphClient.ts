import { MessageTypes, type CompressedImage } from '../messages/types.js';
import { toRosQos } from '../ros/qosProfiles.js';
import {
  subscriberCount,
  type RclModule,
  type RosPublisher,
  type RosRunnableNode,
} from '../ros/rclApi.js';
import { readCameraPeriods, type CameraPeriod } from './cameraPeriods.js';

/** A detection message as the benchmark received it. */
export interface ReceivedDetection {
  /** header.frame_id: the frame's own, unchanged by the node. */
  readonly frameId: string;
  /** header.stamp in ns: the frame's own stamp. */
  readonly stampNs: bigint;
  /** ROS clock (system time, the clock the publishers stamp with) at receipt, ns. */
  readonly receivedNs: bigint;
  /** Monotonic time at receipt, ms (performance.now), for intervals. */
  readonly receivedMs: number;
}

/** A DiagnosticArray of the node under test, read back. */
export interface ReceivedDiagnostics {
  readonly receivedMs: number;
  readonly cameras: readonly CameraPeriod[];
}

/** Options of {@link BenchGraphClient.open}. */
export interface BenchGraphClientOptions {
  /** rclnodejs, loaded by the caller (loadRclnodejs). */
  readonly rcl: RclModule;
  /** This client's node name. */
  readonly name: string;
  /** The node's detections topic (absolute). */
  readonly detectionsTopic: string;
  /** The node's diagnostics topic (absolute). */
  readonly diagnosticsTopic: string;
  /** Name of the node under test: only its statuses are kept. */
  readonly nodeName: string;
  /** Where single frames are published (a camera of the node: `<image topic>/compressed`). */
  readonly probeTopic: string;
}

type Waiter = () => void;

/**
 * The benchmark's own node on the real ROS 2 graph: subscribes to the node's /detections and
 * /diagnostics (reliable, deep queues, so that it misses nothing the node sends) and publishes
 * single frames. It records what arrives with its receive times; the benchmark reads the
 * records. Owns the rclnodejs context it initialises; `close()` is idempotent.
 */
export class BenchGraphClient {
  /** Every detection message received, in arrival order. */
  readonly detections: ReceivedDetection[] = [];
  /** Every DiagnosticArray of the node under test, in arrival order. */
  readonly diagnostics: ReceivedDiagnostics[] = [];
  readonly #waiters = new Set<Waiter>();
  /** A DiagnosticArray of the node that could not be read: fails every later wait. */
  #failure: Error | undefined;
  #closed = false;

  private constructor(
    private readonly rcl: RclModule,
    private readonly node: RosRunnableNode,
    private readonly probe: RosPublisher,
  ) {}

  /** Initialises rclnodejs, creates the node, its subscriptions and publisher, and spins it. */
  static async open(options: BenchGraphClientOptions): Promise<BenchGraphClient> {
    const { rcl } = options;
    await rcl.init();
    // The benchmark handles SIGINT itself (ProcessScope), stopping its children first.
    rcl.removeSignalHandlers();
    try {
      // On Humble rcl creates the /rosout publisher itself; a second one from rclnodejs warns.
      const nodeOptions = new rcl.NodeOptions();
      nodeOptions.enableRosout =
        rcl.DistroUtils.getDistroId() > rcl.DistroUtils.getDistroId('humble');
      const node: RosRunnableNode = new rcl.Node(options.name, undefined, undefined, nodeOptions);
      const reliable = toRosQos(rcl, {
        reliability: 'reliable',
        durability: 'volatile',
        depth: 1000,
      });
      const probe = node.createPublisher(MessageTypes.CompressedImage, options.probeTopic, {
        qos: toRosQos(rcl, { reliability: 'reliable', durability: 'volatile', depth: 10 }),
      });
      const client = new BenchGraphClient(rcl, node, probe);
      node.createSubscription(
        MessageTypes.Detection2DArray,
        options.detectionsTopic,
        { qos: reliable },
        (message: unknown) => client.#onDetection(message),
      );
      node.createSubscription(
        MessageTypes.DiagnosticArray,
        options.diagnosticsTopic,
        { qos: reliable },
        (message: unknown) => client.#onDiagnostics(message, options.nodeName),
      );
      node.spin();
      return client;
    } catch (error) {
      if (!rcl.isShutdown()) rcl.shutdown();
      throw error;
    }
  }

  /** The ROS clock (system time), ns: the clock the camera publishers stamp their frames with. */
  nowNs(): bigint {
    return this.node.now().nanoseconds;
  }

  /** Subscriptions matched with the probe publisher (the node's probe camera, once discovered). */
  probeSubscribers(): number {
    return subscriberCount(this.probe);
  }

  /** Publishes one JPEG frame stamped with the ROS clock now; returns the stamp, ns. */
  publishProbe(image: CompressedImage, frameId: string): bigint {
    const stampNs = this.nowNs();
    this.probe.publish({
      header: {
        stamp: { sec: Number(stampNs / 1_000_000_000n), nanosec: Number(stampNs % 1_000_000_000n) },
        frame_id: frameId,
      },
      format: image.format,
      // A copy: rclnodejs 2.2 publishes a typed array from the start of its ArrayBuffer, ignoring
      // byteOffset (measured: a subarray at offset 4 arrived as the 4 bytes before it), and the
      // frames read from the bag are views into the bag's message buffers.
      data: image.data.slice(),
    });
    return stampNs;
  }

  /**
   * Resolves once `done()` holds, checked now, on every message received and every 50 ms.
   * @throws Error saying what was awaited when `timeoutMs` passes first, or the error of a
   *   DiagnosticArray of the node that could not be read.
   */
  waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (done()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: Error): void => {
        this.#waiters.delete(check);
        clearInterval(poll);
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      const check: Waiter = () => {
        if (this.#failure !== undefined) finish(this.#failure);
        else if (done()) finish();
      };
      const poll = setInterval(check, 50);
      const timer = setTimeout(
        () =>
          finish(
            new Error(`timed out after ${(timeoutMs / 1000).toFixed(0)} s waiting for ${what}`),
          ),
        timeoutMs,
      );
      this.#waiters.add(check);
    });
  }

  /** Destroys the node and shuts rclnodejs down. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.node.destroy();
    if (!this.rcl.isShutdown()) this.rcl.shutdown();
  }

  #onDetection(message: unknown): void {
    const receivedMs = performance.now();
    const receivedNs = this.nowNs();
    const header = (
      message as { header?: { stamp?: { sec?: unknown; nanosec?: unknown }; frame_id?: unknown } }
    ).header;
    const sec = header?.stamp?.sec;
    const nanosec = header?.stamp?.nanosec;
    if (
      typeof sec !== 'number' ||
      typeof nanosec !== 'number' ||
      typeof header?.frame_id !== 'string'
    )
      return;
    this.detections.push({
      frameId: header.frame_id,
      stampNs: BigInt(sec) * 1_000_000_000n + BigInt(nanosec),
      receivedNs,
      receivedMs,
    });
    this.#notify();
  }

  #onDiagnostics(message: unknown, nodeName: string): void {
    let cameras: CameraPeriod[];
    try {
      cameras = readCameraPeriods(message, nodeName);
    } catch (error) {
      // Thrown here it would end up in rclnodejs's executor; the benchmark's next wait reports it.
      this.#failure ??= error instanceof Error ? error : new Error(String(error));
      this.#notify();
      return;
    }
    if (cameras.length === 0) return;
    this.diagnostics.push({ receivedMs: performance.now(), cameras });
    this.#notify();
  }

  #notify(): void {
    for (const check of [...this.#waiters]) check();
  }
}
