import { firstValueFrom, take, tap, toArray } from 'rxjs';
import { openBag } from '../bag/openBag.js';
import type { CompressedImage } from '../messages/types.js';
import { sampleTopics, writeSampleRecording } from '../sample/sampleRecording.js';
import { BagFrameSource } from '../sources/bagFrameSource.js';

/** The sample recording's frame rate: `ros2 bag play --rate r` plays r x 10 frames/s. */
export const BENCH_BAG_FPS = 10;

/**
 * Writes the benchmarks' input: an MCAP bag of `count` 640x480 JPEG frames at BENCH_BAG_FPS on
 * the sample recording's compressed topic (its raw camera left out).
 */
export async function writeJpegBag(bag: string, count: number): Promise<void> {
  await writeSampleRecording({
    output: bag,
    seconds: count / BENCH_BAG_FPS,
    fps: BENCH_BAG_FPS,
    rawCamera: false,
  });
}

/**
 * The first `count` CompressedImage messages (header, format, JPEG bytes) on the sample
 * recording's compressed topic of `bag`, in bag order: the frames the benchmarks send to the node.
 */
export async function readBagJpegs(bag: string, count: number): Promise<CompressedImage[]> {
  const reader = await openBag(bag);
  try {
    const source = new BagFrameSource(reader, { topics: [sampleTopics.compressed] });
    // The source reads ahead only as frames are done.
    const frames = await firstValueFrom(
      source.frames.pipe(
        tap(() => source.frameDone()),
        take(count),
        toArray(),
      ),
    );
    return frames.map((f) => {
      if (f.payload.kind !== 'compressed')
        throw new Error(`expected a CompressedImage on ${f.topic}`);
      return f.payload.image;
    });
  } finally {
    await reader.close();
  }
}
