import assert from 'node:assert/strict';
import { readCameraPeriods } from '../../src/bench/cameraPeriods.js';
import { diagnosticArray } from '../../src/publish/diagnostics.js';
import { CameraStats } from '../../src/ros/cameraStats.js';

const header = { stamp: { sec: 1, nanosec: 0 }, frame_id: '' };

describe('readCameraPeriods', () => {
  it("reads back the counts of the node's own DiagnosticArray builder", () => {
    const stats = new CameraStats(
      new Map([
        ['cam0', '/b/cam0/image_raw/compressed'],
        ['probe', '/b/probe/image_raw/compressed'],
      ]),
      0,
    );
    for (let i = 0; i < 30; i++) stats.received('cam0');
    for (let i = 0; i < 13; i++) stats.published('cam0', 20 + i);
    for (let i = 0; i < 17; i++) stats.dropped('cam0');
    // 0.2537 s: rates are printed with 2 decimals, the count must still come back exactly.
    const message = diagnosticArray(header, 'bench', stats.takePeriod(253.7), ['cpu']);
    const [cam0, probe, ...rest] = readCameraPeriods(message, 'bench');
    assert.equal(rest.length, 0);
    assert.deepEqual(cam0, {
      camera: 'cam0',
      periodS: 0.25,
      received: 30,
      published: 13,
      dropped: 17,
      droppedTotal: 17,
      errorsTotal: 0,
      latencyP50Ms: 26,
      latencyP95Ms: 31.4,
    });
    assert.equal(probe?.camera, 'probe');
    assert.equal(probe?.received, 0);
    assert.equal(probe?.latencyP50Ms, undefined, "'n/a' when nothing was published");
  });

  it('keeps rounded counts exact at 30 frames/s per camera, from the shortest period to the longest', () => {
    for (const periodMs of [100, 1000, 7300, 59000]) {
      const stats = new CameraStats(new Map([['cam', '/cam']]), 0);
      const frames = Math.round((periodMs * 30) / 1000);
      for (let i = 0; i < frames; i++) stats.received('cam');
      const [cam] = readCameraPeriods(
        diagnosticArray(header, 'n', stats.takePeriod(periodMs + 4.9)),
        'n',
      );
      assert.equal(cam?.received, frames, `${periodMs} ms`);
    }
  });

  it('skips statuses of other nodes and messages without statuses', () => {
    const stats = new CameraStats(new Map([['cam0', '/cam0']]), 0);
    const message = diagnosticArray(header, 'mobilenet_ros', stats.takePeriod(1000));
    assert.deepEqual(readCameraPeriods(message, 'mobilenet_bench'), []);
    assert.deepEqual(readCameraPeriods({}, 'x'), []);
    assert.deepEqual(readCameraPeriods(null, 'x'), []);
  });

  it('names the status and key the node and this reader disagree on', () => {
    const message = {
      status: [{ name: 'n: cam0', values: [{ key: 'period_s', value: 'soon' }] }],
    };
    assert.throws(() => readCameraPeriods(message, 'n'), {
      name: 'Error',
      message: /'n: cam0': 'period_s' is not a number: 'soon'/,
    });
    const missing = { status: [{ name: 'n: cam0', values: [] }] };
    assert.throws(() => readCameraPeriods(missing, 'n'), /'n: cam0' has no 'period_s'/);
  });
});
