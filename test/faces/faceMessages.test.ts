import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MessageCodec } from '../../src/bag/messageCodec.js';
import { MessageError } from '../../src/errors.js';
import { embeddingModelTag, faceArrayMessage } from '../../src/publish/faceArrayMessage.js';
import { faceDetections } from '../../src/publish/faceDetections.js';
import { faceJson } from '../../src/faces/faceJson.js';
import {
  FACE_MESSAGE_TYPES,
  registerFaceMessages,
  type FaceArrayMessage,
} from '../../src/faces/faceMessages.js';
import type { FaceResult } from '../../src/faces/faceResult.js';
import { MessageRegistry } from '../../src/messages/messageRegistry.js';
import type { Detection2DArray } from '../../src/messages/types.js';
import { repoRoot } from '../support/paths.js';

const header = { stamp: { sec: 1700000000, nanosec: 123456789 }, frame_id: 'head_camera' };
const model = {
  name: 'face_embedding',
  sha256: '8a6232e9ed694065a9ae6f949ac390afa16fd3b551594b0da31f03201ed4c016',
  dimension: 4,
};

function face(identity: string, overrides: Partial<FaceResult> = {}): FaceResult {
  return {
    box: { xmin: 10, ymin: 20, xmax: 50, ymax: 80 },
    score: 0.99,
    landmarks: [
      { x: 20, y: 40 },
      { x: 40, y: 40 },
      { x: 30, y: 55 },
      { x: 22, y: 68 },
      { x: 38, y: 68 },
    ],
    embedding: Float32Array.from([0.5, 0.5, 0.5, 0.5]),
    identity,
    identityScore: identity === '' ? 0 : 0.71,
    age: 34.56,
    gender: 'female',
    genderScore: 0.66,
    ...overrides,
  };
}

describe('face messages (msg/Face.msg, msg/FaceArray.msg) and builders', function () {
  const registry = MessageRegistry.withBuiltins();
  registerFaceMessages(registry);
  const codec = MessageCodec.fromSchema<FaceArrayMessage>(
    FACE_MESSAGE_TYPES.faceArray,
    registry.schemaText(FACE_MESSAGE_TYPES.faceArray),
  );

  it('registers the package files verbatim, with their dependencies resolvable', function () {
    assert.equal(
      registry.definitionText('mobilenet_ros/msg/Face'),
      fs.readFileSync(path.join(repoRoot, 'msg/Face.msg'), 'utf8'),
    );
    const schema = registry.schemaText('mobilenet_ros/msg/FaceArray');
    for (const dependency of [
      'MSG: mobilenet_ros/Face',
      'MSG: std_msgs/Header',
      'MSG: vision_msgs/BoundingBox2D',
      'MSG: vision_msgs/Point2D',
      'MSG: vision_msgs/ObjectHypothesis',
    ]) {
      assert.ok(schema.includes(`\n${dependency}\n`), dependency);
    }
    assert.throws(
      () => registerFaceMessages(MessageRegistry.withBuiltins(), '/nonexistent'),
      (error: unknown) =>
        error instanceof MessageError &&
        /cannot read the definition of mobilenet_ros\/msg\/Face from \/nonexistent\/Face\.msg/.test(
          error.message,
        ),
    );
  });

  it('round-trips a FaceArray through CDR with non-ASCII identities (José, Zoë, 王) and the frame header', function () {
    const faces = [
      face('José'),
      face('Zoë'),
      face('王'),
      face('', { age: Number.NaN, gender: 'unknown', genderScore: 0 }),
    ];
    const message = faceArrayMessage(header, faces, {
      includeEmbeddings: true,
      embeddingModel: model,
    });
    const decoded = codec.decode(codec.encode(message));
    assert.deepEqual(decoded.header, header);
    assert.deepEqual(
      decoded.faces.map((f) => f.identity),
      ['José', 'Zoë', '王', ''],
    );
    const first = decoded.faces[0]!;
    assert.deepEqual(first.header, header);
    assert.deepEqual(first.bbox, {
      center: { position: { x: 30, y: 50 }, theta: 0 },
      size_x: 40,
      size_y: 60,
    });
    assert.deepEqual(first.landmarks, faces[0]!.landmarks);
    assert.deepEqual(Array.from(first.embedding), [0.5, 0.5, 0.5, 0.5]);
    assert.equal(first.embedding_model, 'face_embedding@8a6232e9ed69');
    assert.ok(Math.abs(first.identity_score - 0.71) < 1e-6);
    assert.deepEqual(
      first.attributes.map((a) => a.class_id),
      ['age', 'female'],
    );
    assert.ok(Math.abs(first.attributes[0]!.score - 34.56) < 1e-9);
    assert.deepEqual(
      decoded.faces[3]!.attributes,
      [],
      'unknown attributes are left out, not published as 0',
    );
    assert.equal(embeddingModelTag(model), 'face_embedding@8a6232e9ed69');
  });

  it("carries the person track and this frame's own match in the appended fields", function () {
    const message = faceArrayMessage(
      header,
      [face('Zoë', { trackId: '3', frameIdentity: '', frameIdentityScore: 0 }), face('José')],
      { includeEmbeddings: false, embeddingModel: model },
    );
    const decoded = codec.decode(codec.encode(message));
    const [onTrack, alone] = decoded.faces;
    assert.equal(onTrack!.identity, 'Zoë', "the track's vote");
    assert.equal(onTrack!.track_id, '3');
    assert.equal(onTrack!.frame_identity, '', 'this frame: turned away, unknown');
    assert.equal(onTrack!.frame_identity_score, 0);
    assert.equal(alone!.track_id, '');
    assert.equal(alone!.frame_identity, 'José', "no track: the frame's match is the identity");
    assert.ok(Math.abs(alone!.frame_identity_score - 0.71) < 1e-6);
    const text = fs.readFileSync(path.join(repoRoot, 'msg/Face.msg'), 'utf8');
    assert.ok(
      /float32 identity_score\n[\s\S]*vision_msgs\/ObjectHypothesis\[\] attributes\n[\s\S]*string track_id\n/.test(
        text,
      ),
      'appended after the fields that were there before',
    );
    assert.deepEqual(
      faceJson(face('Zoë', { trackId: '3', frameIdentity: '', frameIdentityScore: 0 }), {
        includeEmbedding: false,
      }).track_id,
      '3',
    );
  });

  it('leaves the embeddings out when asked (privacy), keeping identities', function () {
    const message = faceArrayMessage(header, [face('Zoë')], {
      includeEmbeddings: false,
      embeddingModel: model,
    });
    const decoded = codec.decode(codec.encode(message));
    assert.equal(decoded.faces[0]!.embedding.length, 0);
    assert.equal(decoded.faces[0]!.identity, 'Zoë');
  });

  it('builds /faces/detections with class_id "face" or the identity', function () {
    const detections = faceDetections(header, [face(''), face('王')]);
    const detectionCodec = MessageCodec.fromSchema<Detection2DArray>(
      'vision_msgs/msg/Detection2DArray',
      registry.schemaText('vision_msgs/msg/Detection2DArray'),
    );
    const decoded = detectionCodec.decode(detectionCodec.encode(detections));
    assert.deepEqual(decoded.header, header);
    assert.deepEqual(
      decoded.detections.map((d) => d.results[0]!.hypothesis.class_id),
      ['face', '王'],
    );
    assert.ok(Math.abs(decoded.detections[0]!.results[0]!.hypothesis.score - 0.99) < 1e-9);
    assert.ok(Math.abs(decoded.detections[1]!.results[0]!.hypothesis.score - 0.71) < 1e-9);
    assert.deepEqual(
      decoded.detections.map((d) => d.id),
      ['', ''],
      'no track: empty id',
    );
    const tracked = detectionCodec.decode(
      detectionCodec.encode(faceDetections(header, [face('王', { trackId: '7' })])),
    );
    assert.equal(tracked.detections[0]!.id, '7');
    assert.equal(tracked.detections[0]!.results[0]!.hypothesis.class_id, '王');
    assert.deepEqual(decoded.detections[0]!.bbox, {
      center: { position: { x: 30, y: 50 }, theta: 0 },
      size_x: 40,
      size_y: 60,
    });
  });

  it('gives the detect --json entry, with the embedding only when asked, and UTF-8 names', function () {
    const json = faceJson(face('Zoë'), { includeEmbedding: false });
    assert.deepEqual(json, {
      bbox: [10, 20, 50, 80],
      score: 0.99,
      identity: 'Zoë',
      identity_score: 0.71,
      age: 34.6,
      gender: 'female',
      gender_score: 0.66,
      embedding_dim: 4,
    });
    assert.ok(JSON.stringify(json).includes('"identity":"Zoë"'));
    assert.deepEqual(
      faceJson(face(''), { includeEmbedding: true }).embedding,
      [0.5, 0.5, 0.5, 0.5],
    );
    assert.equal(faceJson(face('', { age: Number.NaN }), { includeEmbedding: false }).age, null);
  });
});
