/**
 * The detector's bare loop through its worker thread against ONNX Runtime's own loop (its C API,
 * test/tools/ort_c_loop.py, on the same libonnxruntime.so), and against onnxruntime-node on this
 * thread: the same model file, threads, spinning and fetched outputs, alternating in rounds (this
 * machine's speed drifts). A development tool, run from a checkout after `npm run build`:
 *
 *     node dist/test/tools/ortOwnLoop.js [--runs 200] [--rounds 6] [--threads 2] [--spin 0|1]
 *         [--form qdq|qdq_s8|float]
 *
 * Needs python3 (numpy optional).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ModelSession } from '../../src/inference/modelSession.js';
import type { ModelRunner } from '../../src/inference/modelRunner.js';
import { WorkerModelSession } from '../../src/inference/workerModelSession.js';
import { modelsDir, repoRoot } from '../support/paths.js';

const OUTPUTS = ['box_encodings', 'best_scores', 'best_classes'];

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '6' },
    threads: { type: 'string', default: '2' },
    spin: { type: 'string', default: '0' },
    form: { type: 'string', default: 'qdq' },
  },
});
const runs = Number(values.runs);
const rounds = Number(values.rounds);
const threads = Number(values.threads);
const spin = values.spin === '1';
const model = path.join(modelsDir, `coco_ssd_mobilenet_v2.${values.form}.onnx`);
const warmup = 10;

/** Frames/s of `runs` runs of `runner` on one fixed input, after the warm-up. */
async function jsLoop(runner: ModelRunner): Promise<number> {
  const input = new Uint8Array(300 * 300 * 3);
  for (let i = 0; i < input.length; i++) input[i] = (i * 31) & 0xff;
  const feeds = { image: { type: 'uint8', data: input, dims: [1, 300, 300, 3] } } as const;
  for (let i = 0; i < warmup; i++) await runner.run(feeds, OUTPUTS);
  const start = performance.now();
  for (let i = 0; i < runs; i++) await runner.run(feeds, OUTPUTS);
  return (runs * 1000) / (performance.now() - start);
}

/** Frames/s of the C API loop in a python3 process of its own (session load not timed). */
function cLoop(): number {
  const script = path.join(repoRoot, 'test', 'tools', 'ort_c_loop.py');
  const args = [script, model, '--threads', String(threads), '--spin', spin ? '1' : '0'];
  args.push('--runs', String(runs), '--warmup', String(warmup), '--outputs', OUTPUTS.join(','));
  const out = spawnSync('python3', args, { encoding: 'utf8' });
  const match = /fps ([\d.]+)/.exec(out.stdout);
  if (out.status !== 0 || match === null)
    throw new Error(`ort_c_loop.py failed (${out.status}):\n${out.stdout}${out.stderr}`);
  return Number(match[1]);
}

const options = { intraOpThreads: threads, spinWait: spin };
const worker = await WorkerModelSession.create(model, options);
const main = await ModelSession.create(model, options);
const rows: { worker: number; main: number; c: number }[] = [];
try {
  process.stdout.write(
    `${path.basename(model)}, ${threads} thread(s), spinning ${spin}, ${runs} runs per loop, ` +
      `outputs ${OUTPUTS.join(', ')}; ${rounds} rounds of: worker thread, this thread, C API\n`,
  );
  for (let round = 0; round < rounds; round++) {
    const row = { worker: await jsLoop(worker), main: await jsLoop(main), c: cLoop() };
    rows.push(row);
    process.stdout.write(
      `  round ${round + 1}: worker ${row.worker.toFixed(1)}, this thread ${row.main.toFixed(1)}, ` +
        `C API ${row.c.toFixed(1)} frames/s\n`,
    );
  }
} finally {
  await worker.close();
  await main.close();
}
const mean = (pick: (r: (typeof rows)[number]) => number): number =>
  rows.reduce((s, r) => s + pick(r), 0) / rows.length;
const [w, m, c] = [mean((r) => r.worker), mean((r) => r.main), mean((r) => r.c)];
process.stdout.write(
  `mean: worker ${w.toFixed(1)}, this thread ${m.toFixed(1)}, C API ${c.toFixed(1)} frames/s; ` +
    `worker / C API ${((w / c) * 100).toFixed(1)}% (target >= 95%), this thread / C API ${((m / c) * 100).toFixed(1)}%; ` +
    `worker / C API by round: ${rows.map((r) => `${((r.worker / r.c) * 100).toFixed(0)}%`).join(', ')}\n`,
);
