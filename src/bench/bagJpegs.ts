import { firstValueFrom, take, tap, toArray } from 'rxjs';
import { McapBagWriter } from '../bag/mcapBagWriter.js';
import { MessageCodec } from '../bag/messageCodec.js';
import { openBag } from '../bag/openBag.js';
import { sniffImageFormat } from '../image/encodedImageSize.js';
import { MessageRegistry } from '../messages/messageRegistry.js';
import { MessageTypes, type CompressedImage } from '../messages/types.js';
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
 * Writes an MCAP bag of `count` CompressedImage frames at BENCH_BAG_FPS on `topic`: the given
 * encoded images (JPEG or PNG, as they are: not decoded), in turn. For benchmarks on the user's
 * own pictures, e.g. a crowd.
 * @throws RangeError when there is no image or one is neither JPEG nor PNG.
 */
export async function writeImagesBag(
  bag: string,
  topic: string,
  images: readonly { readonly label: string; readonly bytes: Uint8Array }[],
  count: number,
): Promise<void> {
  if (images.length === 0) throw new RangeError(`'images' is empty`);
  const formats = images.map((image) => {
    const format = sniffImageFormat(image.bytes);
    if (format === undefined)
      throw new RangeError(`${image.label} is neither a JPEG nor a PNG file`);
    return format;
  });
  const schema = MessageRegistry.withBuiltins().schemaText(MessageTypes.CompressedImage);
  const codec = MessageCodec.fromSchema<CompressedImage>(MessageTypes.CompressedImage, schema);
  const writer = await McapBagWriter.create(bag, { force: true });
  try {
    await writer.addTopic(topic, MessageTypes.CompressedImage, schema);
    const start = 1_700_000_000_000_000_000n;
    const period = BigInt(Math.round(1e9 / BENCH_BAG_FPS));
    for (let i = 0; i < count; i++) {
      const ns = start + BigInt(i) * period;
      const k = i % images.length;
      const message: CompressedImage = {
        header: {
          stamp: { sec: Number(ns / 1_000_000_000n), nanosec: Number(ns % 1_000_000_000n) },
          frame_id: 'bench_camera',
        },
        format: formats[k]!,
        data: images[k]!.bytes,
      };
      await writer.write(topic, ns, ns, codec.encode(message));
    }
  } finally {
    await writer.close();
  }
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
