import os from 'node:os';
import { AUTO_MODEL_FORMS, type AppConfig } from '../config/detectorConfig.js';
import {
  providerChainFor,
  type ProviderChain,
  type ProvidersConfig,
} from '../config/providerConfig.js';
import { describeProvider } from '../inference/executionProvider.js';
import { packageVersion } from '../version.js';
import { doctorExitStatus, formatDoctorReport, type DoctorCheck } from './doctorCheck.js';
import { modelFilesCheck } from './modelFilesCheck.js';
import { configuredModels, modelLicenceChecks } from './modelLicenceCheck.js';
import { modelFormCheck } from './modelFormCheck.js';
import { modelTimingCheck, type TimedModel } from './modelTimingCheck.js';
import { onnxruntimeCheck } from './onnxruntimeCheck.js';
import { opencvCheck } from './opencvCheck.js';
import { rosCheck, type RosCheckOptions } from './rosCheck.js';

export interface DoctorOptions {
  readonly config: AppConfig;
  /** Execution providers per model (config.inference.providers once parseConfig carries it). */
  readonly providers: ProvidersConfig;
  /** Model name -> prepared-file roles the config needs. Default: the detector's model, form, SSD spec and labels. */
  readonly requiredModels?: Readonly<Record<string, readonly string[]>>;
  /** Fail when ROS 2 is not sourced. Default false (warn). */
  readonly requireRos?: boolean;
  /** Timed runs per model. Default 10; 0 skips timing. */
  readonly runs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly loadRclnodejs?: RosCheckOptions['loadRclnodejs'];
  /** Where `detector.model_form: auto` caches its choice. Default: the detector's own cache file. */
  readonly modelFormCacheFile?: string;
}

export interface DoctorResult {
  readonly checks: readonly DoctorCheck[];
  readonly text: string;
  /** 1 when something the config needs is missing or broken. */
  readonly exitStatus: 0 | 1;
}

/** The models the config needs: the detector's forms, and the face branch's selected models. */
export function detectorRequiredModels(config: AppConfig): Record<string, readonly string[]> {
  const forms =
    config.detector.modelForm === 'auto' ? AUTO_MODEL_FORMS : [config.detector.modelForm];
  const required: Record<string, string[]> = { coco_detector: [...forms, 'ssd', 'labels'] };
  for (const m of configuredModels(config).filter((m) => m.stage !== 'detector')) {
    (required[m.name] ??= []).push(m.role);
  }
  return required;
}

/**
 * Checks what this machine offers against what the config needs: onnxruntime and its execution
 * providers, OpenCV, ROS 2 and rclnodejs, the model files, and a short timing of every prepared
 * model on its configured provider chain.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorResult> {
  const { config, providers } = options;
  const required = options.requiredModels ?? detectorRequiredModels(config);
  const checks: DoctorCheck[] = [];
  checks.push(...(await onnxruntimeCheck()));
  checks.push(...providerConfigChecks(config, providers, Object.keys(required)));
  checks.push(...(await opencvCheck()));
  checks.push(
    ...(await rosCheck({
      requireRos: options.requireRos ?? false,
      ...(options.env !== undefined ? { env: options.env } : {}),
      ...(options.loadRclnodejs !== undefined ? { loadRclnodejs: options.loadRclnodejs } : {}),
    })),
  );
  const files = await modelFilesCheck(config.modelsDir, required);
  checks.push(...files.checks.map((c) => ({ ...c, section: `models (${config.modelsDir})` })));
  checks.push(...modelLicenceChecks(config));
  const runs = options.runs ?? 10;
  if (runs > 0) {
    const timed: TimedModel[] = files.statuses
      .filter((s) => s.file.endsWith('.onnx') && (s.state === 'ok' || s.state === 'unpinned'))
      .map((s) => ({
        model: s.model,
        role: s.role,
        file: s.file,
        chain: providerChainFor(providers, s.model),
      }));
    checks.push(
      ...(await modelTimingCheck(timed, { runs })).map((c) => ({
        ...c,
        section: `timing (zero inputs, ${runs} runs after 2 warm-up)`,
      })),
    );
  }
  if (files.checks.every((c) => c.status !== 'fail')) {
    checks.push(
      ...(await modelFormCheck(config, providers, {
        ...(options.modelFormCacheFile !== undefined
          ? { cacheFile: options.modelFormCacheFile }
          : {}),
      })),
    );
  }
  const header =
    `mobilenet-ros doctor ${packageVersion}: Node.js ${process.version}, ${process.platform} ${process.arch}, ` +
    `${os.availableParallelism()} cores, inference.threads ${config.inference.threads}`;
  return { checks, text: formatDoctorReport(header, checks), exitStatus: doctorExitStatus(checks) };
}

/** The configured chains, and settings that cannot do what they say. */
function providerConfigChecks(
  config: AppConfig,
  providers: ProvidersConfig,
  requiredModels: readonly string[],
): DoctorCheck[] {
  const section = 'execution providers (config)';
  const chainText = (chain: ProviderChain): string => chain.map(describeProvider).join(' -> ');
  const checks: DoctorCheck[] = [
    { section, status: 'ok', summary: `default chain: ${chainText(providers.chain)}` },
  ];
  for (const [model, chain] of Object.entries(providers.models)) {
    checks.push({ section, status: 'ok', summary: `${model}: ${chainText(chain)}` });
  }
  for (const model of new Set([...requiredModels, ...Object.keys(providers.models)])) {
    const trt = providerChainFor(providers, model).find((p) => p.kind === 'tensorrt');
    if (trt?.kind === 'tensorrt' && trt.int8 && model === 'coco_detector') {
      checks.push({
        section,
        status: 'warn',
        summary:
          `${model}: tensorrt int8 is set, but TensorRT takes only symmetric int8 Q/DQ (zero point 0); ` +
          "the detector's QDQ form keeps TFLite's uint8 zero points, and its float form has no calibration table",
        fix: `for the detector use detector.model_form: float with inference.tensorrt.fp16: true, int8: false (now: model_form ${config.detector.modelForm})`,
      });
    }
  }
  return checks;
}
