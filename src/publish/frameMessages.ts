import { faceArrayMessage, type FaceArrayOptions } from './faceArrayMessage.js';
import { faceDetections } from './faceDetections.js';
import type { FaceArrayMessage } from '../faces/faceMessages.js';
import type { Detection2DArray, ImageAnnotations } from '../messages/types.js';
import type { FrameResult } from '../pipeline/frameResult.js';
import { detection2DArray } from './detection2DArray.js';
import { imageAnnotations } from './imageAnnotations.js';

/** What goes out for one processed frame, each message stamped with the frame's own header. */
export interface FrameMessages {
  /** The objects (Detection2D.id = track id when tracked). */
  readonly detections: Detection2DArray;
  /** foxglove_msgs/ImageAnnotations of the frame; undefined when not asked for. */
  readonly annotations: ImageAnnotations | undefined;
  /** The face branch's FaceArray and its Detection2DArray form; undefined when it did not run. */
  readonly faces:
    { readonly array: FaceArrayMessage; readonly detections: Detection2DArray } | undefined;
}

/** Which optional messages to build. */
export interface FrameMessageOptions {
  /** Build ImageAnnotations. */
  readonly annotations: boolean;
  /** Build the face messages (when the frame has faces); undefined: never. */
  readonly faces: FaceArrayOptions | undefined;
}

/**
 * The output messages of one frame result, the same for the node and for replay's bag. A frame
 * that failed has none (undefined): its error is counted and reported, never published as an
 * empty detection list, which would read as "nothing there".
 */
export function frameMessages(
  result: FrameResult,
  options: FrameMessageOptions,
): FrameMessages | undefined {
  if (result.error !== undefined) return undefined;
  const { header } = result.frame;
  return {
    detections: detection2DArray(header, result.detections),
    annotations: options.annotations
      ? imageAnnotations(header, result.detections, result.faces)
      : undefined,
    faces:
      options.faces === undefined || result.faces === undefined
        ? undefined
        : {
            array: faceArrayMessage(header, result.faces, options.faces),
            detections: faceDetections(header, result.faces),
          },
  };
}
