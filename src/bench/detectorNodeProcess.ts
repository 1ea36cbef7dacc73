import { fileURLToPath } from 'node:url';
import type { AppConfig } from '../config/detectorConfig.js';
import type { GroupProcess } from './groupProcess.js';
import type { ProcessScope } from './processScope.js';

/** How the benchmark starts the node: as users run it, `mobilenet-ros run --ros-args ...`. */
export interface DetectorNodeLaunch {
  /** Node name (`-r __node:=`). */
  readonly nodeName: string;
  /** Namespace (`-r __ns:=`), absolute; the cameras and /detections live under it. */
  readonly namespace: string;
  /** Camera names ([a-z][a-z0-9_]*); camera c subscribes to `<namespace>/<c>/image_raw/compressed`. */
  readonly cameras: readonly string[];
  /** Detector and inference settings, the same as replay's in the comparison. */
  readonly config: AppConfig;
  /** outputs.diagnostics_period_s, in [0.1, 60]. */
  readonly diagnosticsPeriodS: number;
}

/** The image topic of a bench camera (the node subscribes to its `/compressed`). */
export function cameraImageTopic(namespace: string, camera: string): string {
  return `${namespace}/${camera}/image_raw`;
}

/**
 * The command line after `main.js`: `run --ros-args` with the remaps and `-p` parameters of a
 * benchmark node. Settings mirror the test-double bench (faces off, no overlay) plus the
 * detector's thresholds and resize, so that node and replay run the same detector.
 * String values are YAML single-quoted, since rcl parses each `-p` value as YAML.
 */
export function detectorNodeArgs(launch: DetectorNodeLaunch): string[] {
  const { config } = launch;
  const d = config.detector;
  const parameters: [string, string][] = [
    ['cameras.names', `[${launch.cameras.join(', ')}]`],
    ...launch.cameras.flatMap((c): [string, string][] => [
      [`cameras.${c}.topic`, yamlString(cameraImageTopic(launch.namespace, c))],
      [`cameras.${c}.transport`, 'compressed'],
    ]),
    ['models_dir', yamlString(config.modelsDir)],
    ['detector.model_form', d.modelForm],
    ['detector.score_threshold', yamlDouble(d.scoreThreshold)],
    ['detector.iou_threshold', yamlDouble(d.iouThreshold)],
    ['detector.nms', d.nms],
    ['detector.max_detections', String(d.maxDetections)],
    ['detector.resize', d.resize],
    ['inference.threads', String(config.inference.threads)],
    ['inference.spin_wait', String(config.inference.spinWait)],
    ['faces.enabled', String(config.faces.enabled)],
    ['outputs.overlay', 'false'],
    ['outputs.diagnostics_period_s', yamlDouble(launch.diagnosticsPeriodS)],
  ];
  return [
    'run',
    '--ros-args',
    '-r',
    `__node:=${launch.nodeName}`,
    '-r',
    `__ns:=${launch.namespace}`,
    ...parameters.flatMap(([name, value]) => ['-p', `${name}:=${value}`]),
  ];
}

/** dist/src/main.js beside this file's dist/src/bench/. */
const MAIN_JS = fileURLToPath(new URL('../main.js', import.meta.url));

/**
 * Starts the node as a separate process (this Node.js binary running this package's main.js),
 * in a process group of its own owned by `scope`. Its log lines go to `onLogLine`.
 */
export function startDetectorNodeProcess(
  scope: ProcessScope,
  launch: DetectorNodeLaunch,
  onLogLine: (line: string) => void = () => undefined,
): Promise<GroupProcess> {
  return scope.start(process.execPath, [MAIN_JS, ...detectorNodeArgs(launch)], {
    name: `the node (mobilenet-ros run, ${launch.namespace}/${launch.nodeName})`,
    onStdoutLine: onLogLine,
    onStderrLine: onLogLine,
  });
}

function yamlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A YAML double: integral values keep a decimal point, or rcl would read an integer. */
function yamlDouble(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
