import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/paths.js';

/**
 * Static checks of Dockerfile.jetson, which CI cannot build (no Docker engine, no Jetson).
 * Debian has no Dockerfile linter (hadolint is not packaged), so the instructions are parsed here.
 */

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
  /** Comment lines directly above the instruction. */
  readonly comments: readonly string[];
}

const KEYWORDS = new Set([
  'FROM',
  'ARG',
  'ENV',
  'RUN',
  'COPY',
  'ADD',
  'WORKDIR',
  'SHELL',
  'VOLUME',
  'ENTRYPOINT',
  'CMD',
  'LABEL',
  'EXPOSE',
  'USER',
  'HEALTHCHECK',
  'STOPSIGNAL',
  'ONBUILD',
]);

/** Dockerfile instructions with continuation lines joined; comments inside a continuation are dropped, as Docker does. */
function parseDockerfile(text: string): Instruction[] {
  const lines = text.split('\n');
  const out: Instruction[] = [];
  let comments: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const trimmed = raw.trim();
    if (trimmed === '') {
      comments = [];
      continue;
    }
    if (trimmed.startsWith('#')) {
      comments.push(trimmed.replace(/^#\s?/, ''));
      continue;
    }
    const start = i + 1;
    let joined = raw;
    while (/\\\s*$/.test(joined) && i + 1 < lines.length) {
      joined = joined.replace(/\\\s*$/, ' ');
      i++;
      // Comment lines inside a continuation are dropped and the continuation goes on.
      while ((lines[i] ?? '').trim().startsWith('#') && i + 1 < lines.length) i++;
      joined += lines[i] ?? '';
    }
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(joined);
    if (m === null) throw new SyntaxError(`line ${start}: not an instruction: ${joined.trim()}`);
    const keyword = (m[1] ?? '').toUpperCase();
    if (!KEYWORDS.has(keyword))
      throw new SyntaxError(`line ${start}: unknown instruction ${keyword}`);
    out.push({ keyword, args: (m[2] ?? '').trim(), line: start, comments });
    comments = [];
  }
  return out;
}

function argName(args: string): string {
  return args.split('=')[0]?.trim() ?? '';
}

describe('Dockerfile.jetson', () => {
  const file = path.join(repoRoot, 'Dockerfile.jetson');
  const text = fs.readFileSync(file, 'utf8');
  const instructions = parseDockerfile(text);
  const firstFrom = instructions.findIndex((i) => i.keyword === 'FROM');
  const globalArgs = new Set(
    instructions
      .slice(0, firstFrom)
      .filter((i) => i.keyword === 'ARG')
      .map((i) => argName(i.args)),
  );

  it('parses: known instructions, ARG before the first FROM, JSON-form exec instructions valid', () => {
    assert.ok(firstFrom > 0, 'a FROM after the global ARGs');
    assert.ok(
      instructions.slice(0, firstFrom).every((i) => i.keyword === 'ARG'),
      'only ARG may precede the first FROM',
    );
    for (const i of instructions.filter((x) =>
      ['ENTRYPOINT', 'CMD', 'SHELL', 'VOLUME'].includes(x.keyword),
    )) {
      assert.ok(
        Array.isArray(JSON.parse(i.args)),
        `line ${i.line}: ${i.keyword} must be a JSON array`,
      );
    }
  });

  it('has unique stage names, and every FROM and COPY --from names a stage or a global ARG', () => {
    const stages: string[] = [];
    for (const i of instructions) {
      if (i.keyword === 'FROM') {
        const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(i.args);
        assert.ok(m !== null, `line ${i.line}: FROM <image> [AS <name>]`);
        for (const ref of (m[1] ?? '').matchAll(/\$\{(\w+)\}/g))
          assert.ok(
            globalArgs.has(ref[1] ?? ''),
            `line ${i.line}: FROM uses \${${ref[1]}}, which is not a global ARG`,
          );
        if (m[2] !== undefined) {
          assert.ok(!stages.includes(m[2]), `stage ${m[2]} twice`);
          stages.push(m[2]);
        }
      }
      const from = /--from=(\S+)/.exec(i.keyword === 'COPY' ? i.args : '');
      if (from !== null)
        assert.ok(
          stages.includes(from[1] ?? ''),
          `line ${i.line}: COPY --from=${from[1]} before that stage`,
        );
    }
    // `FROM ort-${ORT_BUILD}` picks one of these.
    assert.ok(stages.includes('ort-source') && stages.includes('ort-npm'));
  });

  it('documents every ARG in a comment above it', () => {
    const documented = new Set<string>();
    for (const i of instructions.filter((x) => x.keyword === 'ARG')) {
      const name = argName(i.args);
      if (i.comments.some((c) => c.startsWith(`ARG ${name}:`))) documented.add(name);
    }
    for (const i of instructions.filter((x) => x.keyword === 'ARG')) {
      const name = argName(i.args);
      assert.ok(
        documented.has(name),
        `line ${i.line}: ARG ${name} has no "# ARG ${name}: ..." comment above it (here or where it is first declared)`,
      );
    }
  });

  it('redeclares in each stage the global ARGs that stage uses', () => {
    let stageArgs = new Set<string>();
    for (const i of instructions.slice(firstFrom)) {
      if (i.keyword === 'FROM') {
        stageArgs = new Set();
        continue;
      }
      if (i.keyword === 'ARG') stageArgs.add(argName(i.args));
      for (const ref of i.args.matchAll(/\$\{(\w+)\}/g)) {
        const name = ref[1] ?? '';
        if (globalArgs.has(name))
          assert.ok(
            stageArgs.has(name),
            `line ${i.line}: uses \${${name}} without ARG ${name} in its stage`,
          );
      }
    }
  });

  it('copies only paths that exist and that its .dockerignore keeps', () => {
    const ignore = fs
      .readFileSync(path.join(repoRoot, 'Dockerfile.jetson.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const excluded of ['**/node_modules', 'dist', '.git'])
      assert.ok(ignore.includes(excluded), `.dockerignore excludes ${excluded}`);
    const copies = instructions.filter(
      (i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.args.includes('--from='),
    );
    assert.ok(copies.length > 0);
    for (const i of copies) {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1)) {
        assert.ok(
          fs.existsSync(path.join(repoRoot, source)),
          `line ${i.line}: COPY source ${source} does not exist`,
        );
        assert.ok(
          !ignore.includes(source),
          `line ${i.line}: COPY source ${source} is excluded by the .dockerignore`,
        );
      }
    }
  });

  it('builds the onnxruntime release the npm package pins, and a Node.js the package accepts', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    const ortArg = instructions.find(
      (i) => i.keyword === 'ARG' && argName(i.args) === 'ONNXRUNTIME_VERSION',
    );
    assert.equal(
      ortArg?.args.split('=')[1],
      lock.packages['node_modules/onnxruntime-node']?.version,
    );
    const node =
      instructions
        .find((i) => i.keyword === 'ARG' && argName(i.args) === 'NODE_VERSION')
        ?.args.split('=')[1] ?? '';
    const [major = 0, minor = 0] = node.split('.').map(Number);
    assert.ok(major === 20 && minor >= 19, `NODE_VERSION ${node} must be 20.x >= 20.19`);
  });

  it('launches the detector through ROS 2', () => {
    const cmd = instructions.filter((i) => i.keyword === 'CMD').at(-1);
    assert.deepEqual(JSON.parse(cmd?.args ?? '[]'), [
      'ros2',
      'launch',
      'mobilenet_ros',
      'detector.launch.py',
    ]);
    assert.match(text, /colcon build --packages-select mobilenet_ros/);
    assert.match(text, /-DMOBILENET_ROS_PREPARE_MODELS=/);
  });

  it('finds in the repository the ROS package files the image needs', function () {
    // The ROS package (package.xml, launch/) is written alongside this file; until it lands there is nothing to check.
    if (!fs.existsSync(path.join(repoRoot, 'package.xml'))) this.skip();
    assert.match(
      fs.readFileSync(path.join(repoRoot, 'package.xml'), 'utf8'),
      /<name>mobilenet_ros<\/name>/,
    );
    assert.ok(
      fs.existsSync(path.join(repoRoot, 'launch/detector.launch.py')),
      'launch/detector.launch.py',
    );
    assert.ok(fs.existsSync(path.join(repoRoot, 'CMakeLists.txt')), 'CMakeLists.txt');
  });

  it('refuses malformed instructions', () => {
    assert.throws(() => parseDockerfile('FORM ubuntu\n'), /line 1: unknown instruction FORM/);
    assert.throws(() => parseDockerfile('FROM ubuntu\n!!\n'), /line 2: not an instruction/);
    assert.deepEqual(
      parseDockerfile('# c\nRUN a \\\n  # inner\n  b\n').map((i) => [
        i.keyword,
        i.args.replace(/\s+/g, ' '),
        i.comments,
      ]),
      [['RUN', 'a b', ['c']]],
    );
  });
});

describe('src/inference/jetson/patch_ort_node_tensorrt_options.py', () => {
  const script = path.join(repoRoot, 'src/inference/jetson/patch_ort_node_tensorrt_options.py');
  const fixture = path.join(repoRoot, 'test/deploy/fixtures/session_options_helper.excerpt.cc');
  let dir: string;
  before(function () {
    if (spawnSync('python3', ['--version']).status !== 0) this.skip();
  });
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ort-patch-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('forwards trt_* properties to UpdateTensorRTProviderOptions, once', () => {
    const file = path.join(dir, 'session_options_helper.cc');
    fs.copyFileSync(fixture, file);
    execFileSync('python3', [script, file]);
    const patched = fs.readFileSync(file, 'utf8');
    assert.match(patched, /#include <vector>/);
    assert.match(
      patched,
      /int deviceId = 0;\n\s+std::unordered_map<std::string, std::string> trtOptions;/,
    );
    assert.match(patched, /if \(key\.rfind\("trt_", 0\) != 0\) continue;/);
    assert.match(
      patched,
      /options->device_id = deviceId;\n\s+if \(!trtOptions\.empty\(\)\) \{[\s\S]*UpdateTensorRTProviderOptions\(options, keys\.data\(\), values\.data\(\), keys\.size\(\)\)[\s\S]*\n\s+sessionOptions\.AppendExecutionProvider_TensorRT_V2\(\*options\);/,
    );
    execFileSync('python3', [script, file]);
    assert.equal(fs.readFileSync(file, 'utf8'), patched, 'idempotent');
  });

  it('stops the build, naming the anchor, when the source changed shape', () => {
    const file = path.join(dir, 'session_options_helper.cc');
    fs.writeFileSync(
      file,
      fs.readFileSync(fixture, 'utf8').replace('int deviceId = 0;', 'int device = 0;'),
    );
    const result = spawnSync('python3', [script, file], { encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /anchor 'declare the option map next to deviceId' found 0 times/);
  });
});
