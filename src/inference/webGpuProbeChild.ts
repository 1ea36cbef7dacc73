import './ortTelemetry.js';
import { errorText } from '../errors.js';
/**
 * Run by webGpuProbe.ts in a child process: creates one onnxruntime session on the WebGPU
 * provider alone, runs it once, and prints one JSON line (WebGpuChildAnswer) on stdout. A child,
 * because ORT creates sessions synchronously on the calling thread and waits for Dawn's adapter
 * request without a time limit: a driver that never answers, or one that crashes, takes this
 * process with it and not the node.
 */
import * as ort from 'onnxruntime-node';

/** What the child prints. */
export type WebGpuChildAnswer =
  | { readonly ok: true; readonly createMs: number; readonly runMs: number }
  | { readonly ok: false; readonly error: string };

/** Protobuf wire format, only what a ModelProto of one Relu needs. */
function varint(value: number): number[] {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return bytes;
}
const intField = (field: number, value: number): number[] => [
  ...varint(field << 3),
  ...varint(value),
];
const bytesField = (field: number, body: readonly number[]): number[] => [
  ...varint((field << 3) | 2),
  ...varint(body.length),
  ...body,
];
const stringField = (field: number, text: string): number[] =>
  bytesField(field, [...new TextEncoder().encode(text)]);

/** A float32 [1,4] value: ValueInfoProto{name, TypeProto{tensor_type{elem_type 1, shape}}}. */
function floatVector(name: string): number[] {
  const shape = bytesField(2, [...bytesField(1, intField(1, 1)), ...bytesField(1, intField(1, 4))]);
  return [...stringField(1, name), ...bytesField(2, bytesField(1, [...intField(1, 1), ...shape]))];
}

/** y = Relu(x), opset 13, IR version 8: the smallest graph that makes the provider compile a GPU program. */
function reluModel(): Uint8Array {
  const node = [...stringField(1, 'x'), ...stringField(2, 'y'), ...stringField(4, 'Relu')];
  const graph = [
    ...bytesField(1, node),
    ...stringField(2, 'webgpu_probe'),
    ...bytesField(11, floatVector('x')),
    ...bytesField(12, floatVector('y')),
  ];
  return new Uint8Array([
    ...intField(1, 8),
    ...bytesField(8, [...stringField(1, ''), ...intField(2, 13)]),
    ...bytesField(7, graph),
  ]);
}

async function main(): Promise<WebGpuChildAnswer> {
  const start = performance.now();
  try {
    const session = await ort.InferenceSession.create(reluModel(), {
      executionProviders: ['webgpu'],
      logSeverityLevel: 3,
    });
    const created = performance.now();
    const out = await session.run({
      x: new ort.Tensor('float32', Float32Array.from([-1, 0, 1, 2]), [1, 4]),
    });
    const runMs = performance.now() - created;
    const y = out.y?.data as Float32Array | undefined;
    await session.release();
    if (y === undefined || y.join(',') !== '0,0,1,2') {
      return {
        ok: false,
        error: `the probe graph ran but returned ${String(y)} (expected 0,0,1,2)`,
      };
    }
    return { ok: true, createMs: created - start, runMs };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
