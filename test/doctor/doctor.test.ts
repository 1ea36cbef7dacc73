import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseConfig } from '../../src/config/parseConfig.js';
import { parseProvidersConfig } from '../../src/config/providerConfig.js';
import { runDoctor } from '../../src/doctor/runDoctor.js';
import { unavailableReason } from '../../src/inference/providerSupport.js';
import { modelsDir, repoRoot } from '../support/paths.js';

const run = promisify(execFile);
const main = path.join(repoRoot, 'dist/src/main.js');

/** A models folder holding the manifest and the detector's files only. */
function detectorOnlyModels(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-models-'));
  for (const file of [
    'manifest.json',
    'coco_ssd_mobilenet_v2.qdq.onnx',
    'coco_ssd_mobilenet_v2.qdq_s8.onnx',
    'coco_ssd_mobilenet_v2.ssd.json',
    'coco_labels.txt',
  ]) {
    fs.copyFileSync(path.join(modelsDir, file), path.join(dir, file));
  }
  return dir;
}

describe('doctor', () => {
  let dir: string;
  beforeEach(() => (dir = detectorOnlyModels()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports onnxruntime, OpenCV, ROS, the model files and a timing, and passes without ROS', async () => {
    const config = parseConfig({
      models_dir: dir,
      faces: { enabled: false },
      inference: { threads: 1 },
    });
    const result = await runDoctor({
      config,
      providers: parseProvidersConfig({}, { threads: 1 }),
      runs: 2,
      env: {},
      modelFormCacheFile: path.join(dir, 'model-form.json'),
    });
    // detector.model_form auto (the default): the forms' times and the choice, measured now.
    assert.match(
      result.text,
      /\ndetector form\n {2}ok {4}detector\.model_form auto: (qdq|qdq_s8) \(timed now\)\n {8}qdq: median \d+\.\d\d ms per run, round means [\d.]+-[\d.]+ ms over \d+ rounds\n {8}qdq_s8: median [\d.]+ ms .*, [\d.]+x qdq\n/,
    );
    assert.equal(result.exitStatus, 0, result.text);
    assert.match(
      result.text,
      /onnxruntime-node \d+\.\d+\.\d+; execution providers compiled in: cpu/,
    );
    // WebGPU is compiled into the npm binding for linux x64: whether it finds an adapter is a line.
    if (/compiled in: .*\bwebgpu\b/.test(result.text)) {
      assert.match(
        result.text,
        /\n {2}(warn {2}webgpu: no adapter: \S.*|ok {4}webgpu: adapter found .*|warn {2}webgpu: an adapter, but only software Vulkan drivers .*)\n {8}(Vulkan drivers: |no Vulkan driver manifest installed)/,
      );
    }
    assert.match(result.text, /OpenCV \d+\.\d+\.\d+; CUDA: (no|YES)/);
    assert.match(result.text, /modules: .*\bimgproc\b/);
    assert.match(result.text, /warn {2}ROS 2 is not sourced \(ROS_DISTRO is unset\)/);
    assert.match(
      result.text,
      /ok {4}coco_detector qdq: coco_ssd_mobilenet_v2\.qdq\.onnx present, sha256 ok/,
    );
    // A file the config does not need (float form) is a warning, not a failure.
    assert.match(
      result.text,
      /warn {2}coco_detector float: coco_ssd_mobilenet_v2\.float\.onnx missing\n/,
    );
    assert.match(
      result.text,
      /ok {4}coco_detector \(qdq\) on cpu \(1 threads\): median \d+\.\d\d ms, min \d+\.\d\d ms \(2 runs\)/,
    );
    assert.match(result.text, /ready, with \d+ warning\(s\)\n$/);
  });

  it('names the licence of every model the config runs, and warns for one of unknown licence', async () => {
    const config = parseConfig({
      models_dir: dir,
      faces: { embedding: 'mobilefacenet', age_gender: 'ssrnet', expression: true },
    });
    const result = await runDoctor({
      config,
      providers: parseProvidersConfig({}, { threads: 1 }),
      runs: 0,
      env: {},
    });
    const section = result.text.split('licences of the selected models\n')[1]!.split('\n\n')[0]!;
    assert.match(section, /ok {4}detector: coco_detector: Apache-2\.0/);
    assert.equal(section.match(/detector: face_detector:/g)?.length, 1, 'ULFD once');
    assert.match(section, /ok {4}detector: face_detector: MIT/);
    assert.match(section, /ok {4}landmarks: face_landmarks_faceapi: MIT/);
    assert.match(
      section,
      /warn {2}embedding: face_embedding: unknown .*\n {8}-> selected in the config/,
    );
    assert.match(section, /warn {2}age_gender: face_age: unknown/);
    assert.match(section, /warn {2}age_gender: face_gender: unknown/);
    assert.match(section, /ok {4}expression: face_expression_faceapi: MIT/);
    // The face models are not in this folder: the config needs them, so doctor fails.
    assert.match(result.text, /fail {2}face_embedding int8: .* missing \(the config needs it\)/);
    assert.equal(result.exitStatus, 1);
  });

  it('fails, saying what to run, when a model the config needs is missing', async () => {
    fs.rmSync(path.join(dir, 'coco_ssd_mobilenet_v2.qdq.onnx'));
    const config = parseConfig({ models_dir: dir, faces: { enabled: false } });
    const result = await runDoctor({
      config,
      providers: parseProvidersConfig({}, { threads: 1 }),
      runs: 0,
      env: {},
    });
    assert.equal(result.exitStatus, 1);
    assert.match(
      result.text,
      /fail {2}coco_detector qdq: coco_ssd_mobilenet_v2\.qdq\.onnx missing \(the config needs it\)\n {8}-> run `mobilenet-ros models prepare --models-dir /,
    );
    assert.match(result.text, /1 problem\(s\) to fix before running/);
  });

  it('warns when a model runs on a fallback provider, with the reason', async function () {
    if (unavailableReason('cuda') === undefined) this.skip();
    const config = parseConfig({ models_dir: dir, faces: { enabled: false } });
    const providers = parseProvidersConfig(
      { provider: ['cuda', 'cpu'], cpu: { threads: 1 } },
      { threads: 1 },
    );
    const result = await runDoctor({ config, providers, runs: 1, env: {} });
    assert.equal(result.exitStatus, 0, result.text);
    assert.match(result.text, /default chain: cuda:0 -> cpu \(1 threads\)/);
    assert.match(
      result.text,
      /warn {2}coco_detector \(qdq\) on cpu \(1 threads\): median .*\n {8}cuda:0 unavailable: /,
    );
  });

  it('fails when a model can run on no provider of its chain', async function () {
    if (unavailableReason('cuda') === undefined) this.skip();
    const config = parseConfig({ models_dir: dir, faces: { enabled: false } });
    const providers = parseProvidersConfig(
      { models: { coco_detector: { provider: 'cuda' } } },
      { threads: 1 },
    );
    const result = await runDoctor({ config, providers, runs: 1, env: {} });
    assert.equal(result.exitStatus, 1);
    assert.match(
      result.text,
      /fail {2}coco_detector \(qdq\): none of its execution providers is available here/,
    );
  });

  it('checks rclnodejs only where ROS 2 is sourced, and fails when it does not load', async () => {
    const config = parseConfig({ models_dir: dir, faces: { enabled: false } });
    const providers = parseProvidersConfig({}, { threads: 1 });
    let loads = 0;
    const unsourced = await runDoctor({
      config,
      providers,
      runs: 0,
      env: {},
      requireRos: true,
      loadRclnodejs: () => Promise.resolve(loads++),
    });
    assert.equal(loads, 0);
    assert.equal(unsourced.exitStatus, 1);
    assert.match(
      unsourced.text,
      /fail {2}ROS 2 is not sourced.*\n {8}-> for the ROS node: `source \/opt\/ros\/humble\/setup\.bash`/,
    );

    const env = { ROS_DISTRO: 'humble', AMENT_PREFIX_PATH: '/opt/ros/humble' };
    const broken = await runDoctor({
      config,
      providers,
      runs: 0,
      env,
      loadRclnodejs: () => Promise.reject(new Error('Cannot find module rclnodejs.node')),
    });
    assert.equal(broken.exitStatus, 1);
    assert.match(broken.text, /ok {4}ROS 2 humble is sourced/);
    assert.match(
      broken.text,
      /fail {2}rclnodejs does not load: Cannot find module rclnodejs\.node\n {8}-> with ROS 2 sourced, run `npm run setup`/,
    );

    const fine = await runDoctor({
      config,
      providers,
      runs: 0,
      env,
      loadRclnodejs: () => Promise.resolve(loads++),
    });
    assert.equal(loads, 1);
    assert.equal(fine.exitStatus, 0, fine.text);
    assert.match(fine.text, /ok {4}rclnodejs \S+ loads/);
  });

  it('warns when TensorRT int8 is configured for the detector', async () => {
    const config = parseConfig({
      models_dir: dir,
      faces: { enabled: false },
      detector: { model_form: 'float' },
    });
    const providers = parseProvidersConfig(
      { provider: ['tensorrt', 'cpu'], tensorrt: { int8: true } },
      { threads: 1 },
    );
    const result = await runDoctor({ config, providers, runs: 0, env: {} });
    assert.match(
      result.text,
      /warn {2}coco_detector: tensorrt int8 is set, but TensorRT takes only symmetric int8 Q\/DQ .*\n {8}-> for the detector use detector\.model_form: float .*\(now: model_form float\)/,
    );
  });

  describe('as a command', () => {
    it('exits 0 and prints the report', async () => {
      const { stdout } = await run(process.execPath, [main, 'doctor', '--runs', '1'], {
        env: { ...process.env, ROS_DISTRO: '' },
      });
      assert.match(stdout, /^mobilenet-ros doctor \S+: Node\.js v\d+/);
      assert.match(stdout, /\nready/);
    });

    it('exits 1 when the configured models folder lacks a model, and prints JSON on request', async () => {
      fs.rmSync(path.join(dir, 'coco_labels.txt'));
      const configFile = path.join(dir, 'params.yaml');
      fs.writeFileSync(configFile, `mobilenet_ros:\n  ros__parameters:\n    models_dir: ${dir}\n`);
      await assert.rejects(
        run(process.execPath, [main, 'doctor', '--runs', '0', '--json', '--config', configFile], {
          env: { ...process.env, ROS_DISTRO: '' },
        }),
        (e: unknown) => {
          const { code, stdout } = e as { code: number; stdout: string };
          const report = JSON.parse(stdout) as {
            exitStatus: number;
            checks: { status: string; summary: string }[];
          };
          return (
            code === 1 &&
            report.exitStatus === 1 &&
            report.checks.some(
              (c) => c.status === 'fail' && /coco_labels\.txt missing/.test(c.summary),
            )
          );
        },
      );
    });

    it('refuses a bad --runs value', async () => {
      await assert.rejects(run(process.execPath, [main, 'doctor', '--runs', '-1']), (e: unknown) =>
        /'--runs' must be an integer in \[0, 10000\], got -1/.test(
          (e as { stderr: string }).stderr,
        ),
      );
    });
  });
});
