import type { AppConfig } from '../config/detectorConfig.js';
import { providerChainFor, type ProvidersConfig } from '../config/providerConfig.js';
import type { DoctorCheck } from './doctorCheck.js';

/** Options of {@link modelFormCheck}. */
export interface ModelFormCheckOptions {
  /** Where `auto` caches its choice. Default: the detector's (~/.cache/mobilenet-ros/model-form.json). */
  readonly cacheFile?: string;
  /** Measure again even when the cache has a choice. Default false. */
  readonly refresh?: boolean;
}

/**
 * The detector form `detector.model_form: auto` runs here, with each candidate's time and why a
 * form was refused: from the cache the node itself reads, or measured now (and cached) exactly
 * as the node would. An explicit form is reported as such. A refused form is not a warning: it
 * is `auto` keeping the outputs identical on this CPU.
 */
export async function modelFormCheck(
  config: AppConfig,
  providers: ProvidersConfig,
  options: ModelFormCheckOptions = {},
): Promise<DoctorCheck[]> {
  const section = 'detector form';
  if (config.detector.modelForm !== 'auto') {
    return [
      {
        section,
        status: 'ok',
        summary: `detector.model_form ${config.detector.modelForm} (set in the config; not timed)`,
      },
    ];
  }
  try {
    const { chooseModelForm } = await import('../detection/modelFormChoice.js');
    const choice = await chooseModelForm({
      modelsDir: config.modelsDir,
      session: {
        intraOpThreads: config.inference.threads,
        spinWait: config.inference.spinWait,
        providers: providerChainFor(providers, 'coco_detector'),
      },
      ...(options.cacheFile !== undefined ? { cacheFile: options.cacheFile } : {}),
      ...(options.refresh !== undefined ? { refresh: options.refresh } : {}),
    });
    const reference = choice.times.qdq?.medianMs;
    const details = [
      ...Object.entries(choice.times).map(
        ([form, t]) =>
          `${form}: median ${t.medianMs.toFixed(2)} ms per run, round means ${t.minMs.toFixed(2)}-${t.maxMs.toFixed(2)} ms` +
          ` over ${t.rounds} rounds` +
          (reference === undefined || form === 'qdq'
            ? ''
            : `, ${(t.medianMs / reference).toFixed(2)}x qdq`),
      ),
      ...Object.entries(choice.rejected).map(([form, why]) => `${form} refused: ${why}`),
      ...(choice.note === undefined ? [] : [choice.note]),
    ];
    const where =
      choice.source === 'cache'
        ? `from the cache ${choice.cacheFile}`
        : choice.source === 'timed'
          ? 'timed now'
          : 'not timed';
    return [
      {
        section,
        status: 'ok',
        summary: `detector.model_form auto: ${choice.form} (${where})`,
        details,
      },
    ];
  } catch (error) {
    return [
      {
        section,
        status: 'fail',
        summary: `detector.model_form auto cannot choose: ${(error as Error).message}`,
        fix: 'run `mobilenet-ros models prepare`, or set detector.model_form to qdq, qdq_s8 or float',
      },
    ];
  }
}
