import { Worker } from 'node:worker_threads';
import { ModelError } from '../errors.js';
import type { ModelRunner, RunOptions } from './modelRunner.js';
import type { ModelSessionOptions } from './modelSession.js';
import type { ProviderReport } from './providerReport.js';
import type { TensorData, TensorSpec } from './tensorData.js';
import {
  deserializeError,
  type FromWorker,
  type ToWorker,
  type WorkerSessionData,
} from './workerProtocol.js';

interface Pending {
  readonly resolve: (outputs: Record<string, TensorData>) => void;
  readonly reject: (error: Error) => void;
}

/**
 * A ModelSession on its own worker thread. onnxruntime-node runs `session.run` on the calling
 * thread, so on the main thread nothing else (decoding results, serialising, writing, ROS
 * callbacks) can happen while the model runs; here the main thread stays free and only the
 * inputs (copied) and outputs (moved, no copy) cross threads.
 *
 * Same contract as ModelSession: load errors are the same ModelErrors, runs resolve in the order
 * the worker finishes them (one at a time, in call order), close() releases the session and
 * ends the thread. A run's own failure keeps its class, code and causes (see workerProtocol.ts);
 * a thread that dies (exits, or throws outside a run) fails every waiting and later run with the
 * fatal ModelError WORKER_DIED.
 */
export class WorkerModelSession implements ModelRunner {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closing: Promise<void> | undefined;
  private stopped: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly path: string,
    readonly inputs: readonly TensorSpec[],
    readonly outputs: readonly TensorSpec[],
    readonly providerReport: ProviderReport,
  ) {
    worker.on('message', (message: FromWorker) => this.onMessage(message));
    // The thread is gone for good: every later run would fail too, so the error is fatal
    // (WORKER_DIED) and a pipeline stops on it instead of failing frame after frame.
    worker.on('error', (error) =>
      this.fail(
        new ModelError(
          'WORKER_DIED',
          `the inference thread of ${path} died (${error.message}); the model cannot run any ` +
            `more: restart the run or the node, and report the error if it happens again`,
          { cause: error },
        ),
      ),
    );
    worker.on('exit', (code) =>
      this.fail(
        this.closing === undefined
          ? new ModelError(
              'WORKER_DIED',
              `the inference thread of ${path} exited unexpectedly (exit code ${code}); the ` +
                `model cannot run any more: restart the run or the node`,
            )
          : closedError(path),
      ),
    );
    worker.unref();
  }

  /** Loads a model file on a new worker thread; same options and errors as ModelSession.create. */
  static async create(
    path: string,
    options: ModelSessionOptions = {},
  ): Promise<WorkerModelSession> {
    const { log, ...portable } = options;
    const data: WorkerSessionData = { path, options: portable, forwardLog: log !== undefined };
    const worker = new Worker(new URL('./modelSessionWorker.js', import.meta.url), {
      workerData: data,
    });
    const ready = await new Promise<Extract<FromWorker, { type: 'ready' }>>((resolve, reject) => {
      const onMessage = (message: FromWorker): void => {
        if (message.type === 'log') log?.(message.line);
        else if (message.type === 'ready') done(() => resolve(message));
        else if (message.type === 'loadError') done(() => reject(deserializeError(message.error)));
      };
      const onError = (error: Error): void => done(() => reject(error));
      const onExit = (code: number): void =>
        done(() =>
          reject(new Error(`inference worker for ${path} exited (code ${code}) while loading`)),
        );
      const done = (settle: () => void): void => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        settle();
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    return new WorkerModelSession(worker, path, ready.inputs, ready.outputs, ready.providerReport);
  }

  run(
    feeds: Record<string, TensorData>,
    outputs?: readonly string[],
    options: RunOptions = {},
  ): Promise<Record<string, TensorData>> {
    if (this.closing !== undefined) return Promise.reject(closedError(this.path));
    if (this.stopped !== undefined) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Runs in flight keep the process alive; an idle worker does not.
      if (this.pending.size === 1) this.worker.ref();
      const message: ToWorker = { type: 'run', id, feeds, outputs };
      this.worker.postMessage(message, options.transferInputs === true ? wholeBuffers(feeds) : []);
    });
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.stopped !== undefined) return resolve();
      this.worker.ref();
      this.worker.once('exit', () => resolve());
      const message: ToWorker = { type: 'close' };
      this.worker.postMessage(message);
    });
    return this.closing;
  }

  private onMessage(message: FromWorker): void {
    if (message.type !== 'result' && message.type !== 'runError') return;
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    this.pending.delete(message.id);
    // Idle: the worker no longer keeps the process alive, unless close() waits for its exit.
    if (this.pending.size === 0 && this.closing === undefined) this.worker.unref();
    if (message.type === 'result') pending.resolve(message.outputs);
    else pending.reject(deserializeError(message.error));
  }

  /** The thread is gone: every run still waiting fails with the reason. */
  private fail(error: Error): void {
    this.stopped ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

function closedError(path: string): ModelError {
  return new ModelError(
    'SESSION_UNUSABLE',
    `model session ${path} is closed; runs must finish before close()`,
  );
}

/** The feeds' buffers that their arrays cover whole (a view into a larger buffer is copied). */
function wholeBuffers(feeds: Record<string, TensorData>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const { data } of Object.values(feeds)) {
    const { buffer } = data;
    if (
      buffer instanceof ArrayBuffer &&
      data.byteOffset === 0 &&
      data.byteLength === buffer.byteLength
    )
      buffers.add(buffer);
  }
  return [...buffers];
}
