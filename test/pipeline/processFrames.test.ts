import assert from 'node:assert/strict';
import { firstValueFrom, from, toArray } from 'rxjs';
import { ModelError } from '../../src/errors.js';
import type { FrameResult } from '../../src/pipeline/frameResult.js';
import { processFrames, type FrameStage } from '../../src/pipeline/processFrames.js';
import type { CameraFrame } from '../../src/sources/cameraFrame.js';
import type { FrameSource } from '../../src/sources/frameSource.js';

function frame(sequence: number): CameraFrame {
  return {
    topic: '/cam',
    header: { stamp: { sec: sequence, nanosec: 0 }, frame_id: 'cam' },
    payload: { kind: 'invalid', error: new Error('not decoded in this test') },
    logTime: BigInt(sequence),
    receivedAt: 0n,
    sequence,
  };
}

function source(count: number): FrameSource & { done: number } {
  const frames = Array.from({ length: count }, (_, i) => frame(i));
  return {
    done: 0,
    frames: from(frames),
    frameDone() {
      this.done++;
    },
    close: () => Promise.resolve(),
  };
}

function result(f: CameraFrame, error?: Error): FrameResult {
  return {
    frame: f,
    width: 0,
    height: 0,
    detections: [],
    timings: { decodeMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 },
    ...(error === undefined ? {} : { error }),
  };
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('processFrames', () => {
  it('a per-frame failure is a result and the stream goes on', async () => {
    const stage: FrameStage = {
      process: (f) => Promise.resolve(result(f, f.sequence === 1 ? new Error('bad') : undefined)),
    };
    const frames = source(4);
    const results = await firstValueFrom(processFrames(frames, stage).pipe(toArray()));
    assert.deepEqual(
      results.map((r) => [r.frame.sequence, r.error?.message]),
      [
        [0, undefined],
        [1, 'bad'],
        [2, undefined],
        [3, undefined],
      ],
    );
    assert.equal(frames.done, 4);
  });

  it('a fatal failure ends the stream with it, after the frames before it, even those still running', async () => {
    const died = new ModelError('WORKER_DIED', 'the inference thread died');
    const stage: FrameStage = {
      process: async (f) => {
        // Frame 0 is still running when frame 1 fails: it must still come out, before the error.
        if (f.sequence === 0) await delay(30);
        if (f.sequence === 1) throw died;
        return result(f);
      },
    };
    const seen: number[] = [];
    const error = await new Promise<unknown>((resolve) =>
      processFrames(source(5), stage).subscribe({
        next: (r) => seen.push(r.frame.sequence),
        error: resolve,
        complete: () => resolve(undefined),
      }),
    );
    assert.equal(error, died);
    assert.deepEqual(seen, [0]);
  });
});
