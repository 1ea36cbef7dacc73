import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { modelsDir, repoRoot } from '../support/paths.js';

const MODEL = path.join(modelsDir, 'face_landmarks_68_faceapi.onnx');

/**
 * onnxruntime 1.30 records nothing, by itself, in a process that has any of these set (measured:
 * CI=1 or CI=true, and each of the others with any value; CI=false or an empty CI records). The
 * project's CI sets one, so the child processes below run without them.
 */
const CI_VARIABLES = [
  'CI',
  'TF_BUILD',
  'GITHUB_ACTIONS',
  'GITLAB_CI',
  'CIRCLECI',
  'TRAVIS',
  'JENKINS_URL',
  'CODEBUILD_BUILD_ID',
  'BUILDKITE',
  'TEAMCITY_VERSION',
  'APPVEYOR',
  'BITBUCKET_BUILD_NUMBER',
];

/**
 * Runs `script` (an ES module) in a fresh node process whose home is an empty folder and whose
 * environment names no CI, and says whether onnxruntime left its telemetry store there. What a
 * recording process leaves in /tmp (mat-debug-<pid>.log) is removed.
 */
function recordsTelemetry(script: string, env: NodeJS.ProcessEnv = {}): boolean {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilenet-ros-telemetry-'));
  let pid: number | undefined;
  try {
    const inherited = { ...process.env };
    delete inherited.ORT_DISABLE_TELEMETRY;
    delete inherited.XDG_CACHE_HOME;
    for (const name of CI_VARIABLES) delete inherited[name];
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: { ...inherited, HOME: home, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    pid = child.pid;
    assert.equal(child.status, 0, `${child.stderr}`);
    return fs.existsSync(path.join(home, '.cache/Microsoft/DeveloperTools/.onnxruntime'));
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
    if (pid !== undefined) fs.rmSync(`/tmp/mat-debug-${pid}.log`, { force: true });
  }
}

describe('onnxruntime telemetry', function () {
  this.timeout(120_000);

  it('onnxruntime-node records it by default, and nothing does once our inference module is loaded', function () {
    const bare =
      `import * as ort from 'onnxruntime-node';\n` +
      `const s = await ort.InferenceSession.create(${JSON.stringify(MODEL)}); await s.release();`;
    assert.ok(
      recordsTelemetry(bare),
      'onnxruntime no longer records telemetry by itself: src/inference/ortTelemetry.ts may go',
    );
    const ours =
      `import fs from 'node:fs';\n` +
      `const { ModelSession } = await import(${JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist/src/inference/modelSession.js')).href)});\n` +
      `const s = await ModelSession.fromBytes(fs.readFileSync(${JSON.stringify(MODEL)}), { label: 'probe' }); await s.close();`;
    assert.equal(recordsTelemetry(ours), false);
    // A user who wants it says so.
    assert.ok(recordsTelemetry(ours, { ORT_DISABLE_TELEMETRY: '0' }));
  });
});
