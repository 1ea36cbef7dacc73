import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { McapIndexedReader } from '@mcap/core';
import { openBag } from '../../src/bag/openBag.js';
import { McapBagWriter } from '../../src/bag/mcapBagWriter.js';
import { MessageCodec } from '../../src/bag/messageCodec.js';
import { runReplay } from '../../src/replay/runReplay.js';
import { defaultConfig } from '../../src/config/parseConfig.js';
import { BagError, ModelError } from '../../src/errors.js';
import { WORKER_FAULT_ENV } from '../../src/inference/workerProtocol.js';
import { MessageRegistry } from '../../src/messages/messageRegistry.js';
import {
  MessageTypes,
  type Detection2DArray,
  type Header,
  type Image,
  type ImageAnnotations,
  type LabelInfo,
  PointsAnnotationType,
} from '../../src/messages/types.js';
import { sampleTopics, writeSampleRecording } from '../../src/sample/sampleRecording.js';
import { modelsDir, repoRoot } from '../support/paths.js';

const registry = MessageRegistry.withBuiltins();
const config = { ...defaultConfig(), modelsDir };

/** Every message of a bag, decoded, read back through the MCAP reader. */
async function readAll(
  file: string,
  topics?: string[],
): Promise<{ topic: string; logTime: bigint; message: unknown }[]> {
  const reader = await openBag(file);
  try {
    const codecs = new Map(
      reader.topics.map((t) => [
        t.name,
        MessageCodec.fromSchema(t.type, t.schemaText ?? registry.schemaText(t.type)),
      ]),
    );
    const out: { topic: string; logTime: bigint; message: unknown }[] = [];
    for await (const m of reader.messages({ topics }))
      out.push({
        topic: m.topic,
        logTime: m.logTime,
        message: codecs.get(m.topic)?.decode(m.data),
      });
    return out;
  } finally {
    await reader.close();
  }
}

describe('replay', function () {
  this.timeout(120_000);
  let dir: string;
  let sample: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-'));
    sample = path.join(dir, 'sample.mcap');
    await writeSampleRecording({ output: sample, seconds: 1, fps: 6 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one Detection2DArray per frame with the frame header, the images unchanged, and LabelInfo', async () => {
    const output = path.join(dir, 'out.mcap');
    const { summary, interrupted } = await runReplay({ bag: sample, output, config });
    assert.equal(interrupted, false);
    assert.equal(summary.frames, 12);
    assert.equal(summary.failed, 0);

    const input = await readAll(sample);
    const result = await readAll(output);
    const images = input.filter(
      (m) => m.topic === sampleTopics.raw || m.topic === sampleTopics.compressed,
    );
    const detections = result.filter((m) => m.topic === '/detections');
    assert.equal(detections.length, images.length);
    // Log-time order in both: the n-th detection message belongs to the n-th image.
    for (const [i, d] of detections.entries()) {
      const image = images[i];
      assert.ok(image);
      assert.equal(d.logTime, image.logTime);
      const header = (image.message as { header: Header }).header;
      assert.deepEqual((d.message as Detection2DArray).header, header);
      for (const det of (d.message as Detection2DArray).detections)
        assert.deepEqual(det.header, header);
    }
    // Input images copied byte for byte (compare decoded values).
    const copied = result.filter((m) => m.topic === sampleTopics.raw);
    assert.equal(copied.length, 6);
    assert.deepEqual(
      (copied[0]?.message as Image).data,
      (images.find((m) => m.topic === sampleTopics.raw)?.message as Image).data,
    );
    // The astronaut camera sees a person in every frame.
    const personFrames = detections.filter(
      (d, i) =>
        images[i]?.topic === sampleTopics.raw &&
        (d.message as Detection2DArray).detections.some(
          (x) => x.results[0]?.hypothesis.class_id === '0',
        ),
    );
    assert.equal(personFrames.length, 6);
    // The face branch: one FaceArray per frame with the frame's header; the astronaut's face in
    // every frame of the raw camera, with its 512-d embedding.
    const faces = result.filter((m) => m.topic === '/faces');
    assert.equal(faces.length, images.length);
    for (const [i, f] of faces.entries()) {
      const message = f.message as {
        header: Header;
        faces: { embedding: Float32Array; identity: string }[];
      };
      assert.deepEqual(message.header, (images[i]?.message as { header: Header }).header);
      if (images[i]?.topic === sampleTopics.raw) {
        assert.equal(message.faces.length, 1);
        assert.equal(message.faces[0]?.embedding.length, 128);
      }
    }
    assert.equal(result.filter((m) => m.topic === '/faces/detections').length, images.length);
    const labels = result.filter((m) => m.topic === '/detections/labels');
    assert.equal(labels.length, 1);
    const info = labels[0]?.message as LabelInfo;
    assert.equal(info.threshold, 0.5);
    assert.deepEqual(
      info.class_map.find((c) => c.class_id === 0),
      { class_id: 0, class_name: 'person' },
    );
  });

  it('leaves the images out with images: false, the annotations with annotations: false', async () => {
    const output = path.join(dir, 'no-images.mcap');
    await runReplay({ bag: sample, output, config, images: false, annotations: false });
    const topics = new Set((await readAll(output)).map((m) => m.topic));
    assert.deepEqual([...topics].sort(), [
      '/detections',
      '/detections/labels',
      '/faces',
      '/faces/detections',
    ]);
  });

  it('writes one foxglove_msgs/ImageAnnotations per frame per camera beside the image, stamped like it, one line loop per detection and face', async () => {
    const output = path.join(dir, 'annotations.mcap');
    await runReplay({ bag: sample, output, config, images: false });
    const result = await readAll(output);
    const input = await readAll(sample);
    const cameras = [
      [sampleTopics.raw, '/front_camera/image_raw/annotations'],
      [sampleTopics.compressed, '/rear_camera/image_raw/annotations'],
    ] as const;
    const detectionsAt = new Map(
      result
        .filter((m) => m.topic === '/detections')
        .map((m) => [m.logTime, m.message as Detection2DArray]),
    );
    const facesAt = new Map(
      result
        .filter((m) => m.topic === '/faces')
        .map((m) => [m.logTime, (m.message as { faces: unknown[] }).faces.length]),
    );
    for (const [imageTopic, annotationTopic] of cameras) {
      const images = input.filter((m) => m.topic === imageTopic);
      const annotations = result.filter((m) => m.topic === annotationTopic);
      assert.equal(annotations.length, images.length, annotationTopic);
      assert.ok(images.length > 0);
      for (const [i, a] of annotations.entries()) {
        const image = images[i];
        assert.ok(image);
        assert.equal(a.logTime, image.logTime);
        const { stamp } = (image.message as { header: Header }).header;
        const message = a.message as ImageAnnotations;
        for (const p of [...message.points, ...message.texts]) assert.deepEqual(p.timestamp, stamp);
        const detections = detectionsAt.get(a.logTime)?.detections ?? [];
        const loops = message.points.filter((p) => p.type === PointsAnnotationType.lineLoop);
        assert.equal(loops.length, detections.length + (facesAt.get(a.logTime) ?? 0));
        assert.equal(message.texts.length, detections.length);
        // The n-th loop is the n-th detection's box, its corners in source pixels.
        for (const [j, d] of detections.entries()) {
          const corners = loops[j]?.points ?? [];
          assert.equal(corners.length, 4);
          assert.ok(
            Math.abs((corners[0]?.x ?? NaN) - (d.bbox.center.position.x - d.bbox.size_x / 2)) <
              1e-9,
          );
          assert.ok(
            Math.abs((corners[2]?.y ?? NaN) - (d.bbox.center.position.y + d.bbox.size_y / 2)) <
              1e-9,
          );
          assert.ok(message.texts[j]?.text.endsWith(d.id === '' ? '' : `#${d.id}`));
        }
      }
    }
    // The astronaut camera: her box and face in every frame, her landmarks as points.
    const front = result.filter((m) => m.topic === '/front_camera/image_raw/annotations');
    for (const a of front) {
      const message = a.message as ImageAnnotations;
      assert.ok(message.texts.some((t) => t.text.startsWith('person ')));
      const landmarks = message.points.filter((p) => p.type === PointsAnnotationType.points);
      assert.equal(landmarks.length, 1);
      assert.equal(landmarks[0]?.points.length, 5);
    }
  });

  it('refuses to overwrite an existing output without force', async () => {
    const output = path.join(dir, 'exists.mcap');
    fs.writeFileSync(output, 'keep me');
    await assert.rejects(
      runReplay({ bag: sample, output, config }),
      (e: unknown) => e instanceof BagError && e.code === 'BAG_OUTPUT_EXISTS',
    );
    assert.equal(fs.readFileSync(output, 'utf8'), 'keep me');
  });

  it('reports a frame that fails to decode with topic and stamp, skips it, and goes on', async () => {
    const bag = path.join(dir, 'broken.mcap');
    const schema = registry.schemaText(MessageTypes.Image);
    const codec = MessageCodec.fromSchema<Image>(MessageTypes.Image, schema);
    const writer = await McapBagWriter.create(bag);
    await writer.addTopic('/cam/image_raw', MessageTypes.Image, schema);
    const header = (sec: number): Header => ({ stamp: { sec, nanosec: 5 }, frame_id: 'cam' });
    const good = (sec: number): Image => ({
      header: header(sec),
      height: 2,
      width: 2,
      encoding: 'mono8',
      is_bigendian: 0,
      step: 2,
      data: new Uint8Array(4),
    });
    await writer.write('/cam/image_raw', 1n, 1n, codec.encode(good(1)));
    await writer.write('/cam/image_raw', 2n, 2n, codec.encode({ ...good(2), step: 1 })); // step < width
    await writer.write('/cam/image_raw', 3n, 3n, new Uint8Array([1, 2, 3])); // not CDR at all
    await writer.write('/cam/image_raw', 4n, 4n, codec.encode(good(4)));
    await writer.close();

    const output = path.join(dir, 'broken-out.mcap');
    const { summary } = await runReplay({ bag, output, config });
    assert.equal(summary.frames, 4);
    assert.equal(summary.failed, 2);
    assert.match(summary.errors[0] ?? '', /^\/cam\/image_raw @ 2\.000000005: .*step/);
    assert.match(
      summary.errors[1] ?? '',
      /^\/cam\/image_raw @ 0\.000000003: cannot decode 3 bytes as sensor_msgs\/msg\/Image/,
    );
    const detections = await readAll(output, ['/detections']);
    assert.deepEqual(
      detections.map((d) => (d.message as Detection2DArray).header.stamp.sec),
      [1, 4],
    );
  });

  it('a recording with a corrupt chunk: the other chunks are processed, the bad one reported with its offset, exit 1, input untouched', async () => {
    const damaged = path.join(dir, 'damaged.mcap');
    const data = fs.readFileSync(sample);
    const index = await McapIndexedReader.Initialize({
      readable: {
        size: () => Promise.resolve(BigInt(data.length)),
        read: (offset, length) =>
          Promise.resolve(data.subarray(Number(offset), Number(offset + length))),
      },
    });
    const chunks = [...index.chunkIndexes].sort((a, b) =>
      Number(a.chunkStartOffset - b.chunkStartOffset),
    );
    assert.ok(chunks.length >= 3, `the sample has ${chunks.length} chunks`);
    const bad = chunks[1]!;
    // Flip bytes inside the chunk's records (past its header): its CRC no longer matches.
    const copy = Buffer.from(data);
    const middle = Number(bad.chunkStartOffset) + Math.floor(Number(bad.chunkLength) / 2);
    for (let i = middle; i < middle + 64; i++) copy[i] = copy[i]! ^ 0x5a;
    fs.writeFileSync(damaged, copy);
    const before = fs.readFileSync(damaged);

    const output = path.join(dir, 'damaged-out.mcap');
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'dist/src/main.js'), 'replay', damaged, '-o', output],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 1, stderr);
    assert.match(
      stderr,
      new RegExp(
        `warning: .*damaged\\.mcap: chunk at byte offset ${bad.chunkStartOffset} \\(${bad.chunkLength} bytes\\) is corrupt \\(.*CRC.*\\); its messages are skipped`,
      ),
    );
    assert.ok(fs.readFileSync(damaged).equals(before), 'the input is not modified');

    // Every frame outside the bad chunk is processed, as in the clean recording.
    const clean = path.join(dir, 'damaged-clean-out.mcap');
    await runReplay({ bag: sample, output: clean, config });
    const inBad = (t: bigint): boolean => t >= bad.messageStartTime && t <= bad.messageEndTime;
    const expected = (await readAll(clean, ['/detections'])).filter((m) => !inBad(m.logTime));
    const got = await readAll(output, ['/detections']);
    assert.ok(expected.length > 0 && expected.length < 12);
    // Track ids depend on the frames a tracker has seen, and the damaged run misses some: the
    // detections must be the same, their ids need not.
    const withoutTrackIds = (message: unknown): unknown => {
      const array = message as Detection2DArray;
      return { ...array, detections: array.detections.map((d) => ({ ...d, id: '' })) };
    };
    assert.deepEqual(
      got.map((m) => [m.logTime, withoutTrackIds(m.message)]),
      expected.map((m) => [m.logTime, withoutTrackIds(m.message)]),
    );
  });

  it('stops at once when the inference thread dies: the fatal error is returned, the output is a valid bag of the frames done before', async () => {
    const output = path.join(dir, 'worker-died.mcap');
    process.env[WORKER_FAULT_ENV] = 'exit:4'; // the detector's thread exits at its 4th run
    let result: Awaited<ReturnType<typeof runReplay>>;
    try {
      result = await runReplay({ bag: sample, output, config });
    } finally {
      delete process.env[WORKER_FAULT_ENV];
    }
    const { summary, fatal, interrupted } = result;
    assert.equal(interrupted, false);
    assert.ok(fatal instanceof ModelError, String(fatal));
    assert.equal(fatal.code, 'WORKER_DIED');
    assert.match(fatal.message, /inference thread of .* exited unexpectedly \(exit code 70\)/);
    // Not one failed frame per remaining frame: the three frames before are done, then it stops.
    assert.equal(summary.frames, 3);
    assert.equal(summary.failed, 0);
    assert.ok(!fs.existsSync(`${output}.partial`));
    const detections = await readAll(output, ['/detections']);
    const images = (await readAll(sample)).filter((m) => m.topic !== '/detections');
    assert.deepEqual(
      detections.map((d) => d.logTime),
      images.slice(0, 3).map((m) => m.logTime),
    );
  });

  it('exits 2 with what died when the inference thread throws, leaving a valid output bag', async () => {
    const output = path.join(dir, 'worker-threw.mcap');
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'dist/src/main.js'), 'replay', sample, '-o', output],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, [WORKER_FAULT_ENV]: 'throw:3' },
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 2, stderr);
    assert.match(
      stderr,
      /error \[WORKER_DIED\]: stopped after 2 frames: the inference thread of .*coco_ssd_mobilenet_v2\.qdq\.onnx died \(injected fault/,
    );
    assert.match(stderr, /frames: 2 \(2 processed, 0 failed\)/);
    assert.match(stderr, /stopped early/);
    assert.equal((await readAll(output, ['/detections'])).length, 2);
  });

  it('on SIGINT closes the output as a valid bag holding the frames processed so far (exit 130)', async () => {
    const long = path.join(dir, 'long.mcap');
    await writeSampleRecording({ output: long, seconds: 8, fps: 10 });
    const output = path.join(dir, 'interrupted.mcap');
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'dist/src/main.js'), 'replay', long, '-o', output],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Interrupt once frames are being written: the partial output has grown past a few chunks
    // (a fixed delay would race a fast machine to the end of the bag).
    const partial = `${output}.partial`;
    const deadline = Date.now() + 30_000;
    while ((fs.existsSync(partial) ? fs.statSync(partial).size : 0) < 4 * 2 ** 20) {
      assert.ok(Date.now() < deadline, `no frames written after 30 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 130, stderr);
    assert.match(stderr, /interrupted/);
    const messages = await readAll(output);
    const detections = messages.filter((m) => m.topic === '/detections').length;
    assert.ok(detections > 0 && detections < 160, `detections: ${detections}`);
    assert.ok(!fs.existsSync(`${output}.partial`));
  });
});
