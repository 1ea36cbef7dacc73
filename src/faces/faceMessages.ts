import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageError } from '../errors.js';
import type { MessageRegistry } from '../messages/messageRegistry.js';
import type { BoundingBox2D, Header, ObjectHypothesis, Point2D } from '../messages/types.js';

/** Full type names of this package's face messages. */
export const FACE_MESSAGE_TYPES = {
  face: 'mobilenet_ros/msg/Face',
  faceArray: 'mobilenet_ros/msg/FaceArray',
} as const;

/** mobilenet_ros/msg/Face, field for field as in msg/Face.msg. */
export interface FaceMessage {
  header: Header;
  bbox: BoundingBox2D;
  score: number;
  landmarks: Point2D[];
  embedding: Float32Array;
  embedding_model: string;
  identity: string;
  identity_score: number;
  attributes: ObjectHypothesis[];
  track_id: string;
  frame_identity: string;
  frame_identity_score: number;
  expression: string;
  expression_score: number;
  expressions: ObjectHypothesis[];
}

/** mobilenet_ros/msg/FaceArray */
export interface FaceArrayMessage {
  header: Header;
  faces: FaceMessage[];
}

/** The package's msg/ folder (beside dist/ and src/). */
export const defaultMsgDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../msg',
);

/**
 * Registers Face and FaceArray, read from the package's msg/ folder (the same files rosidl
 * builds on robots), so that bags and tests can encode and decode them. The registry must hold
 * the built-ins they use (std_msgs/Header, vision_msgs BoundingBox2D, Point2D, ObjectHypothesis):
 * use MessageRegistry.withBuiltins().
 *
 * @throws MessageError (MESSAGE_UNKNOWN_TYPE) naming the file when a .msg file cannot be read.
 */
export function registerFaceMessages(registry: MessageRegistry, msgDir = defaultMsgDir): void {
  for (const [typeName, file] of [
    [FACE_MESSAGE_TYPES.face, 'Face.msg'],
    [FACE_MESSAGE_TYPES.faceArray, 'FaceArray.msg'],
  ] as const) {
    const where = path.join(msgDir, file);
    let text: string;
    try {
      text = fs.readFileSync(where, 'utf8');
    } catch (error) {
      throw new MessageError(
        'MESSAGE_UNKNOWN_TYPE',
        `cannot read the definition of ${typeName} from ${where}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    registry.register(typeName, text);
  }
}
