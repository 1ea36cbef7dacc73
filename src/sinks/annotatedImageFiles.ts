import fs from 'node:fs';
import path from 'node:path';
import { annotateFrame } from '../image/annotateFrame.js';
import { writeImageFile } from '../image/writeImageFile.js';
import type { FrameResult } from '../pipeline/frameResult.js';
import type { ImageObserver } from '../pipeline/objectDetectionStage.js';
import { overlayItems } from '../publish/overlayItems.js';

/** Options of {@link annotatedImageFiles}. */
export interface AnnotatedImageFilesOptions {
  /** The folder the images go to; created now when missing. */
  readonly dir: string;
  /**
   * The file name in `dir` of a frame's image; its extension picks the encoding (e.g. `.jpg`).
   * undefined: this frame is not written.
   */
  readonly fileName: (result: FrameResult) => string | undefined;
  /** Called with the path of each file once it is written. */
  readonly onWritten?: (file: string) => void;
}

/**
 * An image observer for the pipeline that writes frames with their detections and faces drawn
 * (`replay --annotate`, `detect --annotate`). A file that cannot be written fails its frame (the
 * result has `error`), as any failure inside the stage does.
 */
export function annotatedImageFiles(options: AnnotatedImageFilesOptions): ImageObserver {
  fs.mkdirSync(options.dir, { recursive: true });
  return (image, result) => {
    const name = options.fileName(result);
    if (name === undefined) return;
    const file = path.join(options.dir, name);
    const drawn = annotateFrame(image, overlayItems(result.detections, result.faces));
    try {
      writeImageFile(file, drawn);
      options.onWritten?.(file);
    } finally {
      drawn.release();
    }
  };
}
