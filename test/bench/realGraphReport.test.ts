import assert from 'node:assert/strict';
import { formatGraphComparison } from '../tools/graphComparison.js';
import { summarizeLatencies } from '../../src/stats/latencyStats.js';
import { formatRealGraphBench, type RealGraphBenchResult } from '../../src/bench/realGraphBench.js';
import type { RosNodeBenchResult } from '../tools/rosNodeBench.js';

const play = (fps: number, loss: number) => ({
  played: 100,
  published: Math.round(100 * (1 - loss)),
  loss,
  seconds: 2,
  fps,
});

/** A result as runRealGraphBench returns it, with made-up numbers. */
function realResult(): RealGraphBenchResult {
  const kept = { inputFps: 47.5, measured: play(47.5, 0), keptUp: true };
  return {
    threads: 2,
    rosDomainId: '77',
    rmw: 'rmw_cyclonedds_cpp',
    diagnosticsPeriodS: 0.25,
    maxLoss: 0.02,
    throughput: {
      replayFps: 50,
      nodeFps: 47.5,
      ratio: 0.95,
      roundRatios: [0.95],
      capacityFps: 50,
      keptUp: true,
      rounds: [
        {
          replay: { frames: 100, seconds: 2 },
          overloadInputFps: 75,
          capacity: play(50, 0.33),
          keepUp: { attempts: [kept], chosen: kept },
        },
      ],
    },
    singleFrame: {
      backToBack: summarizeLatencies([20, 20, 20]),
      afterIdle: { node: summarizeLatencies([25, 26]), endToEnd: summarizeLatencies([28, 29]) },
    },
    overload: {
      sent: 600,
      hostileSent: 0,
      seconds: 5,
      lateMaxMs: 1,
      receivedByNode: 598,
      published: 300,
      publishedByNode: 300,
      latency: summarizeLatencies([30, 61]),
      nodePeriodP95: { median: 35, max: 70 },
      droppedInDiagnostics: 298,
      errorsInDiagnostics: 0,
      publishedPerCamera: [75, 75, 75, 75],
      fairness: 1,
      rssStartMiB: 300,
      rssEndMiB: 303,
      rssGrowth: 0.01,
      rssByBlockMiB: [301, 303],
      fdsStart: 40,
      fdsEnd: 40,
    },
  };
}

describe('formatRealGraphBench', () => {
  it('prints each target with ok or MISSED', () => {
    const text = formatRealGraphBench(realResult());
    assert.match(
      text,
      /node 47\.5 fps at the rate it keeps up with = 95\.0% \(target >= 90%: ok\)/,
    );
    // p95 of [30, 61] is 59.45 <= 3 x 20.
    assert.match(
      text,
      /p95 59\.5 ms.*target p95 <= 3 x back-to-back single-frame p50 20\.0 = 60\.0 ms: ok/,
    );
    assert.match(
      text,
      /drops reported in \/diagnostics: 298 \(received by the node - published = 298: ok\); lost before the node \(sent - received\): 2/,
    );
    assert.match(text, /fairness min\/max 1\.00: ok/);
    assert.match(text, /1\.0% \(target < 5%: ok\)/);
    assert.match(text, /receive -> publish in the node .*p50 25\.5 ms/);
    assert.match(text, /open fds of the node process 40 \(at 20%\) -> 40 \(flat: ok\)/);
    assert.doesNotMatch(text, /hostile/);
  });

  it('with hostile messages, every failure must be one of them; fds must not grow', () => {
    const r = realResult();
    const soak = (errors: number): string =>
      formatRealGraphBench({
        ...r,
        overload: {
          ...r.overload,
          hostileSent: 6,
          errorsInDiagnostics: errors,
          droppedInDiagnostics: 298 - errors,
          fdsEnd: 41,
        },
      });
    assert.match(
      soak(5),
      /hostile messages sent: 6; failures in \/diagnostics 5 \(every failure a hostile message: ok\)/,
    );
    assert.match(
      soak(7),
      /failures in \/diagnostics 7 \(every failure a hostile message: MISSED\)/,
    );
    assert.match(soak(5), /open fds of the node process 40 \(at 20%\) -> 41 \(flat: MISSED\)/);
  });

  it('misses the drop target when drops and received - published disagree', () => {
    const r = realResult();
    const text = formatRealGraphBench({
      ...r,
      overload: { ...r.overload, droppedInDiagnostics: 290 },
    });
    assert.match(
      text,
      /drops reported in \/diagnostics: 290 \(received by the node - published = 298: MISSED\)/,
    );
  });
});

describe('formatGraphComparison', () => {
  it('puts the test double and the real graph side by side, target by target', () => {
    const double: RosNodeBenchResult = {
      threads: 2,
      replayFps: 60,
      nodeFps: 57,
      ratio: 0.95,
      roundRatios: [0.95],
      singleFrame: summarizeLatencies([18, 18]),
      overload: {
        delivered: 600,
        seconds: 5,
        published: 300,
        latency: summarizeLatencies([30, 60]),
        droppedInDiagnostics: 300,
        hostileDelivered: 0,
        errorsInDiagnostics: 0,
        errorsByReason: '',
        samples: [],
        publishedPerCamera: [75, 75, 75, 75],
        fairness: 1,
        rssStartMiB: 300,
        rssEndMiB: 330,
        rssGrowth: 0.1,
      },
    };
    const lines = formatGraphComparison(double, realResult()).split('\n');
    const row = (name: string): string => lines.find((l) => l.startsWith(name)) ?? '';
    assert.match(row('node / replay frames/s'), /95\.0% ok\s+95\.0% ok/);
    assert.match(row('overload p95'), /58\.5 <= 54\.0 ms MISSED .*59\.5 <= 60\.0 ms ok/);
    assert.match(row('drops in /diagnostics'), /300 = 300 ok\s+298 = 298 ok/);
    assert.match(
      row('RSS 20% -> end'),
      /10\.0% MISSED \(bench process\)\s+1\.0% ok \(node process\)/,
    );
  });
});
