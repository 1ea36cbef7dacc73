import {
  DETECTOR_MODEL_FORMS,
  type AppConfig,
  type DetectorModelForm,
} from '../config/detectorConfig.js';
import { withCpuThreads } from '../config/providerConfig.js';

/** What {@link detectorBenchConfig} changes, as given on the command line. */
export interface DetectorBenchSettings {
  /** `--threads`: intra-op threads. Default: the config's. */
  readonly threads?: string;
  /** `--form`: the detector's model form. Default: the config's. */
  readonly form?: string;
}

/**
 * The config the detector benchmarks run with (`bench`, `bench --ros`, and the test-double
 * bench test/tools/rosNodeBench.ts): `base` with the thread count given to every CPU provider,
 * the model form set, and the face branch off (it has a benchmark of its own, `bench --faces`).
 *
 * @throws RangeError for threads outside [1, 64] or an unknown form, quoting the option.
 */
export function detectorBenchConfig(base: AppConfig, settings: DetectorBenchSettings): AppConfig {
  const threads =
    settings.threads === undefined ? base.inference.threads : Number(settings.threads);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new RangeError(`'--threads' must be an integer in [1, 64], got ${settings.threads}`);
  }
  const form = settings.form ?? base.detector.modelForm;
  if (!isModelForm(form))
    throw new RangeError(`'--form' must be one of ${DETECTOR_MODEL_FORMS.join(', ')}, got ${form}`);
  const inference =
    settings.threads === undefined
      ? base.inference
      : {
          ...base.inference,
          threads,
          providers: withCpuThreads(base.inference.providers, threads),
        };
  return {
    ...base,
    inference,
    detector: { ...base.detector, modelForm: form },
    faces: { ...base.faces, enabled: false },
  };
}

function isModelForm(form: string): form is DetectorModelForm {
  return (DETECTOR_MODEL_FORMS as readonly string[]).includes(form);
}
