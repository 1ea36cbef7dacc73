/**
 * The worker side of {@link WorkerModelSession}: loads one ModelSession from `workerData` and
 * runs it on request. Messages are described in workerProtocol.ts.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { ModelSession } from './modelSession.js';
import type { TensorData } from './tensorData.js';
import {
  WORKER_FAULT_ENV,
  injectedFault,
  serializeError,
  type FromWorker,
  type ToWorker,
  type WorkerSessionData,
} from './workerProtocol.js';

const port: MessagePort = (() => {
  if (parentPort === null) throw new Error('modelSessionWorker.js runs only as a worker thread');
  return parentPort;
})();
const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

const data = workerData as WorkerSessionData;
const fault = injectedFault(process.env[WORKER_FAULT_ENV]);
let runs = 0;
const session = await load();
if (session !== undefined) port.on('message', (message: ToWorker) => serve(session, message));

async function load(): Promise<ModelSession | undefined> {
  try {
    const loaded = await ModelSession.create(data.path, {
      ...data.options,
      ...(data.forwardLog ? { log: (line: string) => post({ type: 'log', line }) } : {}),
    });
    post({
      type: 'ready',
      inputs: loaded.inputs,
      outputs: loaded.outputs,
      providerReport: loaded.providerReport,
    });
    return loaded;
  } catch (error) {
    // Closing the port lets the thread end; the main thread rebuilds the error.
    post({ type: 'loadError', error: serializeError(error) });
    port.close();
    return undefined;
  }
}

function serve(loaded: ModelSession, message: ToWorker): void {
  if (message.type === 'close') {
    void loaded.close().finally(() => {
      post({ type: 'closed' });
      port.close();
    });
    return;
  }
  runs++;
  if (fault !== undefined && runs >= fault.atRun) {
    if (fault.kind === 'exit') process.exit(70);
    // Outside any promise chain: an uncaught error, as a bug in the thread would be.
    throw new Error(`injected fault (${WORKER_FAULT_ENV}) at run ${runs}`);
  }
  loaded.run(message.feeds, message.outputs).then(
    (outputs) => post({ type: 'result', id: message.id, outputs }, transferables(outputs)),
    (error: unknown) => post({ type: 'runError', id: message.id, error: serializeError(error) }),
  );
}

/** The output buffers, each once: handed to the main thread without a copy. */
function transferables(outputs: Record<string, TensorData>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const tensor of Object.values(outputs)) {
    if (tensor.data.buffer instanceof ArrayBuffer) buffers.add(tensor.data.buffer);
  }
  return [...buffers];
}
