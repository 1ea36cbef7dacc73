import assert from 'node:assert/strict';

import type { FaceResult } from '../../src/faces/faceResult.js';
import type { Header } from '../../src/messages/types.js';
import type { FrameResult } from '../../src/pipeline/frameResult.js';
import { frameMessages } from '../../src/publish/frameMessages.js';
import type { CameraFrame } from '../../src/sources/cameraFrame.js';

const header: Header = { stamp: { sec: 1_700_000_000, nanosec: 42 }, frame_id: 'front' };
const frame: CameraFrame = {
  topic: '/front/image_raw',
  header,
  payload: { kind: 'invalid', error: new Error('not read here') },
  logTime: 1n,
  receivedAt: 1n,
  sequence: 0,
};
const face: FaceResult = {
  box: { xmin: 40, ymin: 30, xmax: 80, ymax: 80 },
  score: 0.97,
  landmarks: [
    { x: 50, y: 45 },
    { x: 70, y: 45 },
    { x: 60, y: 55 },
    { x: 52, y: 68 },
    { x: 68, y: 68 },
  ],
  embedding: new Float32Array([0.6, 0.8]),
  identity: 'Eileen',
  identityScore: 0.93,
  trackId: '1',
  age: Number.NaN,
  gender: 'unknown',
  genderScore: 0,
};
const result: FrameResult = {
  frame,
  width: 640,
  height: 480,
  detections: [
    {
      classId: 0,
      label: 'person',
      score: 0.9,
      box: { xmin: 10, ymin: 20, xmax: 110, ymax: 220 },
      trackId: '1',
    },
  ],
  faces: [face],
  timings: { decodeMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 },
};
const faceOptions = {
  includeEmbeddings: false,
  embeddingModel: { name: 'face_embedding', sha256: 'ab'.repeat(32), dimension: 2 },
};

describe('frameMessages (one builder for the node and the replay bag)', () => {
  it("stamps every message with the frame's own header", () => {
    const messages = frameMessages(result, { annotations: true, faces: faceOptions });
    assert.ok(messages !== undefined);
    assert.deepEqual(messages.detections.header, header);
    assert.equal(messages.detections.detections.length, 1);
    assert.equal(messages.detections.detections[0]?.id, '1');
    assert.deepEqual(messages.annotations?.points[0]?.timestamp, header.stamp);
    assert.deepEqual(messages.faces?.array.header, header);
    assert.deepEqual(messages.faces?.detections.header, header);
    assert.equal(messages.faces?.array.faces[0]?.identity, 'Eileen');
    assert.equal(messages.faces?.array.faces[0]?.embedding.length, 0, 'embeddings not asked for');
  });

  it('builds annotations and face messages only when asked, faces only when the branch ran', () => {
    const bare = frameMessages(result, { annotations: false, faces: undefined });
    assert.equal(bare?.annotations, undefined);
    assert.equal(bare?.faces, undefined);
    const noFaceBranch = frameMessages(
      { ...result, faces: undefined },
      {
        annotations: false,
        faces: faceOptions,
      },
    );
    assert.equal(noFaceBranch?.faces, undefined);
  });

  it('gives a failed frame no messages: an empty list would read as "nothing there"', () => {
    const failed = { ...result, detections: [], error: new Error('IMAGE_INVALID') };
    assert.equal(frameMessages(failed, { annotations: true, faces: faceOptions }), undefined);
  });
});
