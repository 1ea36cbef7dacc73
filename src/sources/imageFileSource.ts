import fs from 'node:fs/promises';
import type { Observable } from 'rxjs';
import { ImageError } from '../errors.js';
import type { CameraFrame, FramePayload } from './cameraFrame.js';
import type { FrameSource } from './frameSource.js';
import { ReadAheadFrames } from './readAheadFrames.js';

/** Options of {@link ImageFileSource}. */
export interface ImageFileSourceOptions {
  /** Files read ahead of the pipeline (handed out, not yet done). Default 2. */
  readAhead?: number;
}

/**
 * Frames from image files (JPEG, PNG), in the order given. Each file becomes a compressed
 * payload, so files take the same decoding path as CompressedImage messages. An unreadable file
 * becomes an 'invalid' frame so the pipeline reports it and goes on. The frame's topic is the
 * path; its header is stamped 0 with the path as frame_id (files have no capture time). Files
 * are read only a little ahead of the pipeline (see ReadAheadFrames: one subscription at a time),
 * so a long list of large images does not pile up in memory.
 */
export class ImageFileSource implements FrameSource {
  readonly frames: Observable<CameraFrame>;
  readonly #paced: ReadAheadFrames;

  constructor(paths: readonly string[], options: ImageFileSourceOptions = {}) {
    this.#paced = new ReadAheadFrames({
      name: `frames of ${paths.length} image files`,
      readAhead: options.readAhead,
      read: () => readFrames(paths),
    });
    this.frames = this.#paced.frames;
  }

  frameDone(): void {
    this.#paced.frameDone();
  }

  async close(): Promise<void> {}
}

async function* readFrames(paths: readonly string[]): AsyncGenerator<CameraFrame> {
  for (const [sequence, path] of paths.entries()) {
    const payload = await readPayload(path);
    yield {
      topic: path,
      header: { stamp: { sec: 0, nanosec: 0 }, frame_id: path },
      payload,
      logTime: 0n,
      receivedAt: process.hrtime.bigint(),
      sequence,
    };
  }
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
