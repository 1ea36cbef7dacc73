import fs from 'node:fs/promises';
import { Observable } from 'rxjs';
import { ImageError } from '../errors.js';
import type { CameraFrame, FramePayload } from './cameraFrame.js';
import type { FrameSource } from './frameSource.js';

/**
 * Frames from image files (JPEG, PNG), in the order given. Each file becomes a compressed
 * payload, so files take the same decoding path as CompressedImage messages. An unreadable file
 * becomes an 'invalid' frame so the pipeline reports it and goes on. The frame's topic is the
 * path; its header is stamped 0 with the path as frame_id (files have no capture time).
 */
export class ImageFileSource implements FrameSource {
  readonly frames: Observable<CameraFrame>;

  constructor(paths: readonly string[]) {
    this.frames = new Observable<CameraFrame>((subscriber) => {
      let stopped = false;
      const run = async (): Promise<void> => {
        for (const [sequence, path] of paths.entries()) {
          if (stopped) return;
          const payload = await readPayload(path);
          subscriber.next({
            topic: path,
            header: { stamp: { sec: 0, nanosec: 0 }, frame_id: path },
            payload,
            logTime: 0n,
            receivedAt: process.hrtime.bigint(),
            sequence,
          });
        }
        subscriber.complete();
      };
      run().catch((error: unknown) => subscriber.error(error));
      return () => {
        stopped = true;
      };
    });
  }

  frameDone(): void {}

  async close(): Promise<void> {}
}

async function readPayload(path: string): Promise<FramePayload> {
  try {
    const data = await fs.readFile(path);
    const format = /\.png$/i.test(path) ? 'png' : 'jpeg';
    return {
      kind: 'compressed',
      image: { header: { stamp: { sec: 0, nanosec: 0 }, frame_id: path }, format, data },
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      kind: 'invalid',
      error: new ImageError(
        'IMAGE_INVALID',
        `cannot read image file ${path} (${code ?? (error as Error).message})`,
        { cause: error },
      ),
    };
  }
}
