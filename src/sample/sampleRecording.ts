import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { McapBagWriter } from '../bag/mcapBagWriter.js';
import { MessageCodec } from '../bag/messageCodec.js';
import { matToCompressedImage } from '../image/matToCompressedImage.js';
import { matToImageMessage } from '../image/matToImageMessage.js';
import { renderPanZoom, type PanZoomView } from '../image/panZoom.js';
import { readImageFile } from '../image/readImageFile.js';
import { MessageRegistry } from '../messages/messageRegistry.js';
import { MessageTypes, type CompressedImage, type Header, type Image } from '../messages/types.js';

/** Options of {@link writeSampleRecording}. */
export interface SampleRecordingOptions {
  /** Output MCAP file. */
  output: string;
  /** Seconds of recording. Default 3. */
  seconds?: number;
  /** Frames per second of each camera. Default 10. */
  fps?: number;
  /** Folder with astronaut.jpg, coffee.jpg, chelsea.jpg. Default: the repository's test/fixtures/images. */
  photoDir?: string;
  /** Write the raw camera too. Default true; false writes a bag of JPEG frames only (the benchmark's). */
  rawCamera?: boolean;
  force?: boolean;
}

/** Topics of the sample recording: one raw camera, one compressed (image_transport naming). */
export const sampleTopics = {
  raw: '/front_camera/image_raw',
  compressed: '/rear_camera/image_raw/compressed',
} as const;

/** Deterministic start time of the recording (2023-11-14T22:13:20Z), so output bags are reproducible. */
const START_NS = 1_700_000_000_000_000_000n;

export const defaultPhotoDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/fixtures/images',
);

/**
 * Writes a small two-camera recording made from real photos: a slow pan and zoom across the
 * astronaut (raw rgb8 Image, 640x480) and across the coffee cup, then the cat (JPEG
 * CompressedImage, 640x480). Returns the number of frames per topic.
 */
export async function writeSampleRecording(
  options: SampleRecordingOptions,
): Promise<{ raw: number; compressed: number }> {
  const seconds = options.seconds ?? 3;
  const fps = options.fps ?? 10;
  const photoDir = options.photoDir ?? defaultPhotoDir;
  const frames = Math.max(1, Math.round(seconds * fps));
  const withRaw = options.rawCamera ?? true;
  const registry = MessageRegistry.withBuiltins();
  const imageSchema = registry.schemaText(MessageTypes.Image);
  const compressedSchema = registry.schemaText(MessageTypes.CompressedImage);
  const imageCodec = MessageCodec.fromSchema<Image>(MessageTypes.Image, imageSchema);
  const compressedCodec = MessageCodec.fromSchema<CompressedImage>(
    MessageTypes.CompressedImage,
    compressedSchema,
  );

  const astronaut = readImageFile(path.join(photoDir, 'astronaut.jpg'));
  const coffee = readImageFile(path.join(photoDir, 'coffee.jpg'));
  const chelsea = readImageFile(path.join(photoDir, 'chelsea.jpg'));
  const writer = await McapBagWriter.create(options.output, { force: options.force ?? false });
  try {
    if (withRaw) await writer.addTopic(sampleTopics.raw, MessageTypes.Image, imageSchema);
    await writer.addTopic(sampleTopics.compressed, MessageTypes.CompressedImage, compressedSchema);
    const period = BigInt(Math.round(1e9 / fps));
    for (let i = 0; i < frames; i++) {
      const shot = sampleShots(i, frames);
      // Raw camera: pan across the astronaut.
      const rawTime = START_NS + BigInt(i) * period;
      if (withRaw) {
        const rawFrame = renderPanZoom(astronaut, shot.raw.view);
        try {
          const msg = matToImageMessage(
            rawFrame,
            header(rawTime, 'front_camera_optical_frame'),
            'rgb8',
          );
          await writer.write(sampleTopics.raw, rawTime, rawTime, imageCodec.encode(msg));
        } finally {
          rawFrame.release();
        }
      }
      // Compressed camera, half a period later: the coffee cup, then the cat.
      const compressedTime = rawTime + period / 2n;
      const compressedFrame = renderPanZoom(
        shot.compressed.photo === 'coffee.jpg' ? coffee : chelsea,
        shot.compressed.view,
      );
      try {
        const msg = matToCompressedImage(
          compressedFrame,
          header(compressedTime, 'rear_camera_optical_frame'),
          'jpeg',
        );
        await writer.write(
          sampleTopics.compressed,
          compressedTime,
          compressedTime,
          compressedCodec.encode(msg),
        );
      } finally {
        compressedFrame.release();
      }
    }
  } finally {
    astronaut.release();
    coffee.release();
    chelsea.release();
    await writer.close();
  }
  return { raw: withRaw ? frames : 0, compressed: frames };
}

/** One frame of a camera of the sample recording: which photo, seen how. */
export interface SampleShot {
  readonly photo: 'astronaut.jpg' | 'coffee.jpg' | 'chelsea.jpg';
  readonly view: PanZoomView;
}

/**
 * What frame `i` of `frames` shows on each camera: the raw camera pans across the astronaut
 * (pan 0.2 -> 0.6), the compressed camera across the coffee cup (0.1 -> 0.7) in the first half
 * and the cat (0.2 -> 0.8) in the second; both zoom 1 -> 1.35 over the whole recording. With
 * panZoomCrop this gives each frame's exact geometry (ground truth for tracking tests).
 */
export function sampleShots(
  i: number,
  frames: number,
): { raw: SampleShot; compressed: SampleShot } {
  const t = frames === 1 ? 0 : i / (frames - 1);
  const view = (from: number, to: number): PanZoomView => ({
    width: 640,
    height: 480,
    t,
    zoomFrom: 1,
    zoomTo: 1.35,
    panFrom: from,
    panTo: to,
  });
  const firstHalf = i < frames / 2;
  return {
    raw: { photo: 'astronaut.jpg', view: view(0.2, 0.6) },
    compressed: firstHalf
      ? { photo: 'coffee.jpg', view: view(0.1, 0.7) }
      : { photo: 'chelsea.jpg', view: view(0.2, 0.8) },
  };
}

function header(ns: bigint, frameId: string): Header {
  return {
    stamp: { sec: Number(ns / 1_000_000_000n), nanosec: Number(ns % 1_000_000_000n) },
    frame_id: frameId,
  };
}
