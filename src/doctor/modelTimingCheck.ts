import { performance } from 'node:perf_hooks';
import type { ProviderChain } from '../config/providerConfig.js';
import type { ModelSession } from '../inference/modelSession.js';
import type { TensorArray, TensorData, TensorElementType } from '../inference/tensorData.js';
import type { DoctorCheck } from './doctorCheck.js';

/** A model file to time, with the provider chain the config gives it. */
export interface TimedModel {
  readonly model: string;
  readonly role: string;
  readonly file: string;
  readonly chain: ProviderChain;
}

export interface ModelTimingOptions {
  /** Timed runs per model, after `warmup` untimed ones. Default 10. */
  runs?: number;
  /** Default 2 (the first run allocates; TensorRT may build its engine). */
  warmup?: number;
}

/**
 * Loads each model on its configured chain, runs it on zero inputs and reports the provider it
 * runs on and the median latency. A model on a fallback provider warns; one that loads on no
 * provider of its chain fails.
 */
export async function modelTimingCheck(
  models: readonly TimedModel[],
  options: ModelTimingOptions = {},
): Promise<DoctorCheck[]> {
  const runs = options.runs ?? 10;
  const warmup = options.warmup ?? 2;
  if (!Number.isInteger(runs) || runs < 1 || runs > 10000)
    throw new RangeError(`'runs' must be an integer in [1, 10000], got ${runs}`);
  const { ModelSession } = await import('../inference/modelSession.js');
  const { describeProvider } = await import('../inference/executionProvider.js');
  const checks: DoctorCheck[] = [];
  for (const m of models) {
    const label = `${m.model} (${m.role})`;
    let session: ModelSession | undefined;
    try {
      session = await ModelSession.create(m.file, {
        label,
        providers: m.chain,
        log: () => undefined,
      });
      const feeds = zeroFeeds(session);
      for (let i = 0; i < warmup; i++) await session.run(feeds);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await session.run(feeds);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor((times.length - 1) / 2)] ?? NaN;
      const report = session.providerReport;
      checks.push({
        section: 'timing',
        status: report.skipped.length > 0 ? 'warn' : 'ok',
        summary: `${label} on ${describeProvider(report.active)}: median ${median.toFixed(2)} ms, min ${(times[0] ?? NaN).toFixed(2)} ms (${runs} runs)`,
        details: report.skipped.map(
          (s) => `${describeProvider(s.provider)} unavailable: ${s.reason}`,
        ),
        ...(report.skipped.length > 0
          ? {
              fix: `runs on a fallback provider; to silence this, configure inference.provider (or inference.models.${m.model}.provider) to what this machine has`,
            }
          : {}),
      });
    } catch (error) {
      checks.push({
        section: 'timing',
        status: 'fail',
        // ModelSession errors already start with the label.
        summary: (error as Error).message.startsWith(label)
          ? (error as Error).message
          : `${label}: ${(error as Error).message}`,
        fix: 'fix the model file (models prepare) or the provider chain (add cpu at its end)',
      });
    } finally {
      await session?.close();
    }
  }
  return checks;
}

/** Zero tensors of each input's declared shape; symbolic dimensions become 1. */
function zeroFeeds(session: ModelSession): Record<string, TensorData> {
  const feeds: Record<string, TensorData> = {};
  for (const input of session.inputs) {
    const dims = input.dims.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const type = elementType(input.type, input.name);
    feeds[input.name] = {
      type,
      data: zeros(
        type,
        dims.reduce((a, b) => a * b, 1),
      ),
      dims,
    };
  }
  return feeds;
}

function elementType(type: string, name: string): TensorElementType {
  const known: readonly string[] = ['float32', 'uint8', 'int8', 'int32', 'int64'];
  if (!known.includes(type))
    throw new TypeError(
      `input '${name}' has type ${type}; doctor times only ${known.join(', ')} inputs`,
    );
  return type as TensorElementType;
}

function zeros(type: TensorElementType, size: number): TensorArray {
  switch (type) {
    case 'float32':
      return new Float32Array(size);
    case 'uint8':
      return new Uint8Array(size);
    case 'int8':
      return new Int8Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'int64':
      return new BigInt64Array(size);
  }
}
