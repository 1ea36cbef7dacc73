import { firstValueFrom, take, tap, toArray } from 'rxjs';
import { openBag } from '../bag/openBag.js';
import type { CompressedImage } from '../messages/types.js';
import { sampleTopics } from '../sample/sampleRecording.js';
import { BagFrameSource } from '../sources/bagFrameSource.js';

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
