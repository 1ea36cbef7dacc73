import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/paths.js';
import { importSites, importViolation, LAYERS, layerOf } from './layers.js';

/** Every .ts file under src/, as posix paths relative to the repository root. */
function sourceFiles(dir = 'src'): string[] {
  return fs
    .readdirSync(path.join(repoRoot, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const file = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return sourceFiles(file);
      return entry.name.endsWith('.ts') ? [file] : [];
    })
    .sort();
}

describe('layers of src/', function () {
  it('places every folder and top-level file of src/ in exactly one layer, and lists nothing else', function () {
    const units = fs
      .readdirSync(path.join(repoRoot, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || entry.name.endsWith('.ts'))
      .map((entry) => entry.name)
      .sort();
    const declared = LAYERS.flat();
    assert.deepEqual([...declared].sort(), units);
    assert.equal(new Set(declared).size, declared.length, 'a unit is listed twice');
  });

  it('has no import that runs back up, crosses a layer sideways, leaves src/, or reaches a native library outside its folder', function () {
    const files = sourceFiles();
    assert.ok(files.length > 100, `only ${files.length} files found under src/`);
    const violations = files.flatMap((file) =>
      importSites(file, fs.readFileSync(path.join(repoRoot, file), 'utf8')).flatMap((site) => {
        const why = importViolation(file, site.specifier);
        return why === undefined ? [] : [`${why} (line ${site.line})`];
      }),
    );
    assert.deepEqual(violations, []);
  });

  describe('the check itself, on imports that must fail', function () {
    it('refuses a back edge, naming both folders', function () {
      // The import this issue removed: drawing code knowing face results.
      assert.match(
        importViolation('src/image/annotate.ts', '../faces/faceResult.js') ?? '',
        /'faces' is a layer above 'image'/,
      );
      assert.match(
        importViolation('src/bench/replayRate.ts', '../cli/replay.js') ?? '',
        /'cli' is a layer above 'bench'/,
      );
      assert.match(
        importViolation('src/errors.ts', './pipeline/processFrames.js') ?? '',
        /'pipeline' is a layer above 'errors.ts'/,
      );
    });

    it('refuses an import between siblings of one layer', function () {
      assert.equal(layerOf('ros'), layerOf('replay'));
      assert.match(
        importViolation('src/ros/detectorNode.ts', '../replay/runReplay.js') ?? '',
        /same layer/,
      );
    });

    it('refuses test code and native libraries outside their folder', function () {
      assert.match(
        importViolation('src/bench/rosNodeBench.ts', '../../test/support/fakeRclnodejs.js') ?? '',
        /outside src\//,
      );
      assert.match(
        importViolation('src/pipeline/processFrames.ts', 'rclnodejs') ?? '',
        /only src\/ros\/ may import rclnodejs/,
      );
      assert.match(
        importViolation('src/publish/overlayItems.ts', '@u4/opencv4nodejs') ?? '',
        /only src\/image\//,
      );
      assert.match(
        importViolation('src/detection/ssdDetector.ts', 'onnxruntime-node/dist/index.js') ?? '',
        /only src\/inference\//,
      );
    });

    it('refuses a folder that is in no layer', function () {
      assert.match(importViolation('src/utils/misc.ts', '../errors.js') ?? '', /in no layer/);
      assert.match(importViolation('src/cli/x.ts', '../utils/misc.js') ?? '', /in no layer/);
    });

    it('allows the own folder, lower layers, node built-ins and other packages', function () {
      for (const [importer, specifier] of [
        ['src/cli/benchCommand.ts', './configOption.js'],
        ['src/cli/benchCommand.ts', '../postprocess/nms.js'],
        ['src/main.ts', './cli/program.js'],
        ['src/models/onnx/quantizeOnnxInt8.ts', '../../errors.js'],
        ['src/models/onnx/quantizeOnnxInt8.ts', '../tflite/tfliteModel.js'],
        ['src/ros/loadRclnodejs.ts', 'rclnodejs'],
        ['src/image/cv.ts', '@u4/opencv4nodejs'],
        ['src/pipeline/processFrames.ts', 'rxjs'],
        ['src/bag/openBag.ts', 'node:fs'],
      ] as const) {
        assert.equal(
          importViolation(importer, specifier),
          undefined,
          `${importer} -> ${specifier}`,
        );
      }
    });

    it('sees type-only imports, re-exports, dynamic imports and import types', function () {
      const text = [
        "import type { A } from '../cli/a.js';",
        "export { B } from '../bench/b.js';",
        'export const c = async () => await import("../ros/c.js");',
        "let d: import('../replay/d.js').D;",
        'const e = await import(dynamicName);',
      ].join('\n');
      assert.deepEqual(importSites('src/image/x.ts', text), [
        { specifier: '../cli/a.js', line: 1 },
        { specifier: '../bench/b.js', line: 2 },
        { specifier: '../ros/c.js', line: 3 },
        { specifier: '../replay/d.js', line: 4 },
      ]);
      const violations = importSites('src/image/x.ts', text).map((s) =>
        importViolation('src/image/x.ts', s.specifier),
      );
      assert.ok(
        violations.every((v) => v !== undefined),
        'each of these runs back up',
      );
    });
  });
});
