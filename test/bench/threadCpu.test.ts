import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { readThreadCpu, splitCpu, statCpuMs } from '../../src/bench/threadCpu.js';

/**
 * A fixed amount of work (about 300 ms on the 2-core VM), so that its CPU time does not depend
 * on how busy the machine is, as a wall-clock loop's would.
 */
const WORK = 24_000_000;
function work(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x += Math.sqrt(x + i);
  return x;
}

describe('thread CPU time', () => {
  it('reads utime + stime of a stat line whose thread name holds spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    const line = '4242 (node (a) b) R 1 4242 4242 0 -1 4194304 100 0 0 0 1234 56 0 0 20 0 12 0';
    assert.equal(statCpuMs(line), 12900);
    assert.throws(() => statCpuMs('not a stat line'), /not a \/proc stat line/);
  });

  it('splits by thread: the main thread, threads started since `before`, the rest', () => {
    const before = new Set([1, 2]);
    const start = new Map([
      [1, 100],
      [2, 50],
      [3, 10],
    ]);
    const end = new Map([
      [1, 130],
      [2, 60],
      [3, 210],
      [4, 40],
    ]);
    assert.deepEqual(splitCpu(before, start, end, 1), { inference: 240, main: 30, other: 10 });
  });

  (fs.existsSync('/proc/self/task') ? it : it.skip)(
    'counts the CPU a worker thread and the main thread really spent, each on its side',
    async function () {
      this.timeout(30_000);
      const before = readThreadCpu();
      assert.ok(before !== undefined);
      assert.ok(before.has(process.pid), 'the main thread is listed under the process id');
      // A worker that does twice the work when asked, then waits to be terminated.
      const worker = new Worker(
        `const { parentPort } = require('node:worker_threads');
         parentPort.on('message', (n) => parentPort.postMessage((${work.toString()})(n)));`,
        { eval: true },
      );
      try {
        await new Promise((resolve) => worker.once('online', resolve));
        const start = readThreadCpu();
        assert.ok(start !== undefined);
        const done = new Promise((resolve) => worker.once('message', resolve));
        worker.postMessage(2 * WORK);
        await done;
        work(WORK);
        const end = readThreadCpu();
        assert.ok(end !== undefined);
        const split = splitCpu(new Set(before.keys()), start, end, process.pid);
        // The worker did twice the main thread's work: its time is about twice as long, whatever
        // the machine's speed (10 ms ticks; the main thread also waited and read /proc).
        const ratio = split.inference / split.main;
        assert.ok(split.main >= 50, JSON.stringify(split));
        assert.ok(ratio > 1.4 && ratio < 2.8, `worker / main ${ratio}: ${JSON.stringify(split)}`);
        assert.ok(split.other < split.main, JSON.stringify(split));
      } finally {
        await worker.terminate();
      }
    },
  );
});
