import assert from 'node:assert/strict';
import { ImageError } from '../../src/errors.js';
import type { FrameResult } from '../../src/pipeline/frameResult.js';
import { KEPT_ERRORS, RunSummary } from '../../src/pipeline/runSummary.js';

function failed(error: Error, sequence: number): FrameResult {
  return {
    frame: {
      topic: '/camera/image_raw',
      header: { stamp: { sec: 1, nanosec: sequence }, frame_id: 'camera' },
      payload: { kind: 'invalid', error },
      logTime: BigInt(sequence),
      receivedAt: 0n,
      sequence,
    },
    width: 0,
    height: 0,
    detections: [],
    error,
    timings: { decodeMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 },
  };
}

describe('RunSummary', () => {
  it('counts every failure by its reason and keeps a bounded number of texts', () => {
    const summary = new RunSummary();
    const n = KEPT_ERRORS * 3;
    for (let i = 0; i < n; i++) {
      summary.add(
        failed(
          i % 3 === 0
            ? new ImageError('IMAGE_INVALID', `bad step ${i}`)
            : new RangeError('Offset is outside the bounds of the DataView'),
          i,
        ),
      );
    }
    assert.equal(summary.failed, n);
    assert.deepEqual(Object.fromEntries(summary.failuresByReason), {
      IMAGE_INVALID: n / 3,
      RangeError: (2 * n) / 3,
    });
    assert.equal(summary.errors.length, KEPT_ERRORS);
    assert.match(summary.errors[0] ?? '', /^\/camera\/image_raw @ 1\.000000000: bad step 0$/);
    const text = summary.format();
    assert.match(text, /failed by reason: RangeError 200, IMAGE_INVALID 100/);
    assert.match(text, /\.\.\. and 280 more/);
  });
});
