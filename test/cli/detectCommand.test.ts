import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturesDir, repoRoot } from '../support/paths.js';

const main = path.join(repoRoot, 'dist/src/main.js');

describe('mobilenet-ros detect (the command)', function () {
  this.timeout(60_000);

  it('prints one JSON object per image, reports an unreadable file after the others, exits 1, and annotates', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'detect-'));
    try {
      const images = [
        path.join(fixturesDir, 'images/coffee.jpg'),
        path.join(dir, 'missing.jpg'),
        path.join(fixturesDir, 'images/chelsea.jpg'),
      ];
      const run = spawnSync(
        process.execPath,
        [main, 'detect', '--json', '--annotate', dir, ...images],
        { encoding: 'utf8', cwd: os.tmpdir() },
      );
      assert.equal(run.status, 1, run.stderr);
      const lines = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.equal(lines.length, 3);
      const [coffee, missing, cat] = lines;
      assert.deepEqual(Object.keys(coffee ?? {}), [
        'image',
        'width',
        'height',
        'detections',
        'faces',
      ]);
      assert.deepEqual(coffee?.faces, []);
      assert.equal(coffee?.width, 600);
      const cup = (
        coffee?.detections as { class_id: string; label: string; score: number; bbox: number[] }[]
      ).find((d) => d.label === 'cup');
      assert.ok(cup);
      assert.equal(cup.class_id, '46');
      assert.equal(cup.bbox.length, 4);
      assert.ok(cup.score > 0.5 && cup.score <= 1);
      assert.match(String(missing?.error), /cannot read image file .*missing\.jpg \(ENOENT\)/);
      assert.equal((cat?.detections as { label: string }[])[0]?.label, 'cat');
      assert.match(run.stderr, /missing\.jpg/);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['chelsea.jpg', 'coffee.jpg']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid config with the key and exits 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'detect-'));
    try {
      const config = path.join(dir, 'bad.yaml');
      fs.writeFileSync(config, 'detector:\n  score_threshold: 2\n');
      const run = spawnSync(
        process.execPath,
        [main, 'detect', '--config', config, path.join(fixturesDir, 'images/coffee.jpg')],
        { encoding: 'utf8' },
      );
      assert.equal(run.status, 2);
      assert.match(
        run.stderr,
        /CONFIG_INVALID.*'detector.score_threshold' must be a number in \[0, 1\], got 2/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
