import path from 'node:path';
import { AUTO_MODEL_FORMS, type DetectorFileForm } from '../config/detectorConfig.js';
import { timeAlternating } from '../inference/alternatingTiming.js';
import { cpuIdentity, type CpuIdentity } from '../inference/cpuIdentity.js';
import type { ModelRunner } from '../inference/modelRunner.js';
import {
  ModelSession,
  onnxruntimeVersion,
  type ModelSessionOptions,
} from '../inference/modelSession.js';
import type { TensorData } from '../inference/tensorData.js';
import { WorkerModelSession } from '../inference/workerModelSession.js';
import { loadManifest, modelEntry, preparedFile } from '../models/manifest.js';
import { readVerified } from '../models/verifiedFile.js';
import {
  defaultModelFormCacheFile,
  flagsDigest,
  readCachedFormChoice,
  writeCachedFormChoice,
  type FormTiming,
  type ModelFormCacheKey,
} from './modelFormCache.js';

/**
 * `detector.model_form: auto`: which prepared form of the detector runs fastest on this board
 * without changing a single output.
 *
 * Candidates are the integer forms: 'qdq' (the reference: TFLite's arithmetic) and 'qdq_s8' (the
 * same numbers with int8 weights, which ORT's x86 kernels multiply faster). 'float' is not a
 * candidate: its scores differ from the TFLite model's (and can flip an ambiguous class), so it
 * stays an explicit choice, as on GPUs.
 *
 * 'qdq_s8' is identical to 'qdq' only where the CPU's u8 x s8 kernel does not saturate: with
 * VNNI it accumulates in int32; AVX2 alone (pmaddubsw) adds pairs of products in int16, which
 * this model's full-range weights overflow (measured on an AMD EPYC with AVX2 and no VNNI: box
 * encodings up to 1.9 apart, scores up to 0.08). So each candidate first runs a fixed input, and
 * any output not bit-identical to the reference's rules it out here. The survivors are timed
 * alternately in rounds (about 1.5 s) with the configured threads and spin setting, and the
 * choice is cached (see ModelFormCacheKey for what invalidates it).
 */

/** A candidate must beat the reference by this fraction: a coin-flip on noise is no reason to switch. */
const MIN_GAIN = 0.03;

export interface ModelFormChoiceOptions {
  /** Folder with manifest.json and the prepared models. */
  readonly modelsDir: string;
  /** Manifest name. Default 'coco_detector'. */
  readonly model?: string;
  /** The session options the detector will run with (threads, spin, providers). */
  readonly session: ModelSessionOptions;
  /** Where the detector runs: timed the same way. Default 'worker'. */
  readonly thread?: 'worker' | 'main';
  /** Default {@link defaultModelFormCacheFile}. */
  readonly cacheFile?: string;
  /** Measure even when the cache has a choice (and store the new one). Default false. */
  readonly refresh?: boolean;
  /** Time budget of the timing rounds, in ms. Default 1500. */
  readonly budgetMs?: number;
  /** The CPU to key the cache with. Default: this machine's. */
  readonly cpu?: CpuIdentity;
}

/** What `auto` chose and why. */
export interface ModelFormChoice {
  readonly form: DetectorFileForm;
  /** 'cache': a stored measurement; 'timed': measured now; 'fixed': no measurement applies. */
  readonly source: 'cache' | 'timed' | 'fixed';
  readonly times: Readonly<Partial<Record<DetectorFileForm, FormTiming>>>;
  readonly rejected: Readonly<Partial<Record<DetectorFileForm, string>>>;
  /** For 'fixed', why; for a cache that could not be written, what went wrong. */
  readonly note?: string;
  readonly cacheFile: string;
}

/** Chooses the detector form for `detector.model_form: auto`. */
export async function chooseModelForm(options: ModelFormChoiceOptions): Promise<ModelFormChoice> {
  const name = options.model ?? 'coco_detector';
  const thread = options.thread ?? 'worker';
  const cacheFile = options.cacheFile ?? defaultModelFormCacheFile();
  const chain =
    options.session.providers ?? (options.session.provider ? [options.session.provider] : []);
  const first = chain[0];
  if (first !== undefined && first.kind !== 'cpu') {
    return {
      form: 'float',
      source: 'fixed',
      times: {},
      rejected: {},
      note: `the detector's providers start with ${first.kind}: the uint8 QDQ forms are CPU forms (TensorRT takes only symmetric int8), so float`,
      cacheFile,
    };
  }
  const entry = modelEntry(loadManifest(options.modelsDir), name);
  const rejected: Partial<Record<DetectorFileForm, string>> = {};
  const files: Partial<Record<DetectorFileForm, string>> = {};
  for (const form of AUTO_MODEL_FORMS) {
    const output = entry.outputs[form];
    if (output === undefined) rejected[form] = `not in ${name}'s manifest entry`;
    else files[form] = output.sha256;
  }
  const cpu = options.cpu ?? cpuIdentity();
  const threads = options.session.intraOpThreads ?? 0;
  const key: ModelFormCacheKey = {
    model: name,
    files,
    onnxruntime: onnxruntimeVersion,
    cpuModel: cpu.model,
    cpuFlags: flagsDigest(cpu.flags),
    threads,
    spinWait: options.session.spinWait ?? true,
    thread,
  };
  if (options.refresh !== true) {
    const cached = readCachedFormChoice(cacheFile, key);
    if (cached !== undefined) {
      return {
        form: cached.form,
        source: 'cache',
        times: cached.times,
        rejected: cached.rejected,
        cacheFile,
      };
    }
  }

  const runners = new Map<DetectorFileForm, ModelRunner>();
  try {
    for (const form of AUTO_MODEL_FORMS) {
      if (rejected[form] !== undefined) continue;
      try {
        const file = preparedFile(entry, form, name);
        await readVerified(options.modelsDir, file);
        const sessionOptions: ModelSessionOptions = {
          ...options.session,
          label: `${name} (${form}, timing for auto)`,
          log: () => undefined,
        };
        const location = path.join(options.modelsDir, file.file);
        runners.set(
          form,
          thread === 'worker'
            ? await WorkerModelSession.create(location, sessionOptions)
            : await ModelSession.create(location, sessionOptions),
        );
      } catch (error) {
        // Without the reference there is nothing to compare with: the detector's own load reports it.
        if (form === AUTO_MODEL_FORMS[0]) throw error;
        rejected[form] = (error as Error).message;
      }
    }
    const reference = runners.get('qdq');
    if (reference === undefined)
      throw new Error('unreachable: the reference form failed without an error');
    const feeds = fixedFeeds(reference);
    const expected = await reference.run(feeds);
    for (const [form, runner] of runners) {
      if (form === 'qdq') continue;
      const difference = outputDifference(expected, await runner.run(feeds));
      if (difference !== undefined) {
        rejected[form] =
          `outputs differ from qdq on this CPU (max abs difference ${difference})` +
          (cpu.vnni
            ? ''
            : '; it has no VNNI, so int8 weights saturate int16 sums (AVX2 pmaddubsw)');
      }
    }
    const timed = await timeAlternating(
      [...runners].map(([form, runner]) => ({
        name: form,
        run: () => runner.run(feeds, ['box_encodings', 'best_scores', 'best_classes']),
      })),
      { budgetMs: options.budgetMs ?? 1500 },
    );
    const times: Partial<Record<DetectorFileForm, FormTiming>> = {};
    for (const t of timed) {
      times[t.name as DetectorFileForm] = {
        medianMs: t.medianMs,
        minMs: t.minMs,
        maxMs: t.maxMs,
        rounds: t.rounds,
      };
    }
    const form = fastest(times, rejected);
    const choice = { key, form, times, rejected, measuredAt: new Date().toISOString() };
    let note: string | undefined;
    try {
      writeCachedFormChoice(cacheFile, choice);
    } catch (error) {
      note = `not cached: ${(error as Error).message}`;
    }
    return {
      form,
      source: 'timed',
      times,
      rejected,
      cacheFile,
      ...(note === undefined ? {} : { note }),
    };
  } finally {
    for (const runner of runners.values()) await runner.close();
  }
}

/** The fastest accepted form; the reference unless another beats it by MIN_GAIN. */
function fastest(
  times: Partial<Record<DetectorFileForm, FormTiming>>,
  rejected: Partial<Record<DetectorFileForm, string>>,
): DetectorFileForm {
  const referenceForm = AUTO_MODEL_FORMS[0] ?? 'qdq';
  const reference = times[referenceForm]?.medianMs ?? Infinity;
  let best = referenceForm;
  let bestMs = reference * (1 - MIN_GAIN);
  for (const form of AUTO_MODEL_FORMS) {
    const ms = times[form]?.medianMs;
    if (form === referenceForm || rejected[form] !== undefined || ms === undefined) continue;
    if (ms < bestMs) {
      best = form;
      bestMs = ms;
    }
  }
  return best;
}

/**
 * The log line: `detector.model_form auto: qdq_s8 (timed: qdq 5.26 ms [5.1-5.6], qdq_s8 4.02 ms
 * [3.9-4.3], 12 rounds; cached in ...)`.
 */
export function formatModelFormChoice(choice: ModelFormChoice): string {
  const times = Object.entries(choice.times)
    .map(
      ([form, t]) =>
        `${form} ${t.medianMs.toFixed(2)} ms [${t.minMs.toFixed(2)}-${t.maxMs.toFixed(2)}]`,
    )
    .join(', ');
  const rounds = Object.values(choice.times)[0]?.rounds;
  const rejected = Object.entries(choice.rejected).map(([form, why]) => `${form} refused: ${why}`);
  const parts = [
    ...(times === ''
      ? []
      : [`${times}${rounds === undefined ? '' : `, median of ${rounds} rounds`}`]),
    ...rejected,
    ...(choice.note === undefined ? [] : [choice.note]),
    choice.source === 'cache'
      ? `from ${choice.cacheFile}`
      : choice.source === 'timed'
        ? `timed now${choice.note?.startsWith('not cached') ? '' : `, cached in ${choice.cacheFile}`}`
        : 'not timed',
  ];
  return `detector.model_form auto: ${choice.form} (${parts.join('; ')})`;
}

/** The first output that differs, as `name value`, or undefined when all are bit-identical. */
function outputDifference(
  expected: Record<string, TensorData>,
  actual: Record<string, TensorData>,
): string | undefined {
  const differences: string[] = [];
  for (const [name, tensor] of Object.entries(expected)) {
    const other = actual[name];
    if (other === undefined || other.data.length !== tensor.data.length) {
      differences.push(`${name}: missing or of another size`);
      continue;
    }
    let max = 0;
    for (let i = 0; i < tensor.data.length; i++) {
      max = Math.max(max, Math.abs(Number(tensor.data[i]) - Number(other.data[i])));
    }
    if (max > 0) differences.push(`${name} ${Number(max.toPrecision(3))}`);
  }
  return differences.length === 0 ? undefined : differences.join(', ');
}

/**
 * A fixed input for every form: deterministic noise over the full byte range (no frame exists
 * yet when the pipeline is created). It drives activations across their range, so saturating
 * kernels show here (measured: it differs as much as real photos do).
 */
function fixedFeeds(runner: ModelRunner): Record<string, TensorData> {
  const input = runner.inputs[0];
  const dims = (input?.dims ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  const size = dims.reduce((a, b) => a * b, 1);
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (Math.imul(i, 2654435761) >>> 24) & 0xff;
  return { [input?.name ?? 'image']: { type: 'uint8', data, dims } };
}
