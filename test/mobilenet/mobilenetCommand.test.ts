import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mobilenetCommand } from '../../src/cli/mobilenetCommand.js';
import type { CostReportJson } from '../../src/mobilenet/costReportJson.js';
import { assertWellFormedSvg } from './svgCheck.js';

/** Runs `mobilenet <args>` and returns what it printed. */
async function run(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const command = mobilenetCommand({
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  command.exitOverride();
  await command.parseAsync([...args], { from: 'user' });
  return { stdout, stderr };
}

describe('mobilenet cost', () => {
  it('prints the per-layer table, the totals and the Table 2 shares for 1.0-224', async () => {
    const { stdout } = await run(['cost']);
    assert.match(
      stdout,
      /^MobileNetV1 alpha 1, resolution 224, depthwise separable convolutions, 1000 classes/,
    );
    assert.match(stdout, /\n 0 +conv0 +Conv \/ s2 +3x3x3x32 +224x224x3 +10,838,016 +864\n/);
    assert.match(
      stdout,
      /\n25 +block13_dw +Conv dw \/ s1 +3x3x1024 dw +7x7x1024 +451,584 +9,216\n/,
    );
    assert.match(stdout, /mult-adds: +568,740,352 \(569M\)/);
    assert.match(stdout, /parameters: 4,209,088 \(4\.2M;/);
    assert.match(stdout, /Conv 1x1 +94\.86% +74\.59%/);
    assert.match(stdout, /Fully Connected +0\.18% +24\.33%/);
    assert.match(stdout, /\n +13 +1024 +1024 +7 +51,831,808 +462,422,016 +0\.1121 +0\.1121\n/);
  });

  it('prints the standard-convolution network with --standard', async () => {
    const { stdout } = await run(['cost', '--standard']);
    assert.match(stdout, /standard convolutions/);
    assert.match(stdout, /mult-adds: +4,867,293,184 \(4867M\)/);
    assert.match(stdout, /parameters: 29,281,120 \(29\.3M;/);
    assert.doesNotMatch(stdout, /Depthwise separable block/);
  });

  it('prints JSON with --json', async () => {
    const { stdout } = await run(['cost', '--alpha', '0.5', '--resolution', '160', '--json']);
    const json = JSON.parse(stdout) as CostReportJson;
    assert.equal(json.alpha, 0.5);
    assert.equal(json.resolution, 160);
    assert.equal(json.totals.multAdds, 76_524_800);
    assert.equal(json.totals.parameters, 1_319_648);
    assert.equal(json.layers.length, 30);
    assert.equal(json.blocks?.length, 13);
  });

  it('rejects bad values naming the option and its range', async () => {
    await assert.rejects(run(['cost', '--alpha', '1.5']), {
      name: 'RangeError',
      message: "'alpha' must be in (0, 1], got 1.5",
    });
    await assert.rejects(run(['cost', '--alpha', 'wide']), {
      name: 'RangeError',
      message: "'alpha' must be a number in (0, 1], got 'wide'",
    });
    await assert.rejects(run(['cost', '--resolution', '100']), {
      name: 'RangeError',
      message: "'resolution' must be a multiple of 32 that is at least 32, got 100",
    });
  });
});

describe('mobilenet bench', () => {
  let outDir = '';
  beforeEach(async () => {
    outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mobilenet-bench-'));
  });
  afterEach(async () => {
    await fs.rm(outDir, { recursive: true, force: true });
  });

  it('runs the quick grid end to end: table, ratio, bench.json and two SVG plots', async function () {
    this.timeout(60000);
    const { stdout, stderr } = await run([
      'bench',
      '--grid',
      'quick',
      '--out',
      outDir,
      '--threads',
      '2',
      '--runs',
      '5',
    ]);
    assert.match(
      stdout,
      /grid 'quick': cpu provider, 2 thread\(s\), 5 timed runs after 3 warm-up runs/,
    );
    assert.match(stdout, /model +mult-adds +params +p50 ms +p95 ms +top-1 paper +top-1 TF-Slim/);
    assert.match(stdout, /\n0\.5-160 +76\.5M +1\.32M +[\d.]+ +[\d.]+ +60\.2% +59\.1%\n/);
    assert.match(stdout, /\n0\.25-128 +13\.6M +0\.46M +[\d.]+ +[\d.]+ +unknown +41\.5%\n/);
    assert.match(
      stdout,
      /standard \/ separable convolutions at 0\.25-128: theoretical 7\.39x .* measured [\d.]+x/,
    );
    assert.match(
      stdout,
      /latency vs mult-adds: p50 ~ -?[\d.]+ ms \+ -?[\d.]+ ms per 100M mult-adds, r = -?[\d.]+ over 4 models/,
    );
    assert.equal(stderr.trim().split('\n').length, 5); // 4 models + the standard one

    const files = (await fs.readdir(outDir)).sort();
    assert.deepEqual(files, [
      'bench.json',
      'bench.txt',
      'latency-vs-accuracy.svg',
      'latency-vs-mult-adds.svg',
    ]);
    for (const svg of ['latency-vs-accuracy.svg', 'latency-vs-mult-adds.svg']) {
      const text = await fs.readFile(path.join(outDir, svg), 'utf8');
      assertWellFormedSvg(text);
      assert.equal(text.match(/<circle cx/g)?.length, 4 + 2); // 4 models, 2 legend entries
    }
    const report = JSON.parse(await fs.readFile(path.join(outDir, 'bench.json'), 'utf8')) as {
      rows: { latency: { p50: number; runs: number } }[];
    };
    assert.equal(report.rows.length, 4);
    assert.ok(report.rows.every((r) => r.latency.runs === 5 && r.latency.p50 > 0));
  });

  it('rejects an unknown grid and bad counts', async () => {
    await assert.rejects(run(['bench', '--grid', 'huge', '--out', outDir]), {
      name: 'RangeError',
      message: "'grid' must be one of paper, quick, got 'huge'",
    });
    await assert.rejects(run(['bench', '--grid', 'quick', '--threads', '0', '--out', outDir]), {
      name: 'RangeError',
      message: "'threads' must be an integer in [1, 256], got '0'",
    });
    await assert.rejects(run(['bench', '--grid', 'quick', '--runs', '2.5', '--out', outDir]), {
      name: 'RangeError',
      message: "'runs' must be an integer in [1, 100000], got '2.5'",
    });
  });
});
