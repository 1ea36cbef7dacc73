import assert from 'node:assert/strict';
import { open, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { McapIndexedReader } from '@mcap/core';
import { FileHandleReadable } from '@mcap/nodejs';

import { McapBagWriter } from '../../src/bag/mcapBagWriter.js';
import { MessageCodec } from '../../src/bag/messageCodec.js';
import { openBag } from '../../src/bag/openBag.js';
import { BagError } from '../../src/errors.js';
import { MessageRegistry } from '../../src/messages/messageRegistry.js';
import {
  MessageTypes,
  type CompressedImage,
  type Detection2DArray,
  type Header,
  type Image,
  type LabelInfo,
} from '../../src/messages/types.js';
import { tempDir } from './bagTestSupport.js';

const header: Header = {
  stamp: { sec: 1_700_000_000, nanosec: 123_456_789 },
  frame_id: 'cámara_王',
};

const image: Image = {
  header,
  height: 2,
  width: 3,
  encoding: 'rgb8',
  is_bigendian: 0,
  step: 9,
  data: Uint8Array.from({ length: 18 }, (_, i) => i * 13),
};

const compressed: CompressedImage = {
  header,
  format: 'jpeg',
  data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0xff, 0xd9]),
};

const detections: Detection2DArray = {
  header,
  detections: [
    {
      header,
      results: [
        {
          hypothesis: { class_id: '1', score: 0.875 },
          pose: {
            pose: {
              position: { x: 0, y: 0, z: 0 },
              orientation: { x: 0, y: 0, z: 0, w: 1 },
            },
            covariance: new Float64Array(36).fill(0.5),
          },
        },
      ],
      bbox: { center: { position: { x: 10.5, y: 20.25 }, theta: 0 }, size_x: 4, size_y: 8 },
      id: 'José',
    },
    {
      header,
      results: [],
      bbox: { center: { position: { x: 1, y: 2 }, theta: 0.1 }, size_x: 3, size_y: 4 },
      id: 'Zoë',
    },
  ],
};

const labels: LabelInfo = {
  header,
  class_map: [
    { class_id: 0, class_name: 'person' },
    { class_id: 1, class_name: 'José' },
    { class_id: 2, class_name: '王' },
    { class_id: 65535, class_name: 'Zoë 😀' },
  ],
  threshold: 0.5,
};

describe('McapBagWriter', function () {
  let tmp: { dir: string; remove: () => Promise<void> };
  const registry = MessageRegistry.withBuiltins();
  before(async () => {
    tmp = await tempDir();
  });
  after(() => tmp.remove());

  it('writes messages that read back through openBag to equal values', async function () {
    const file = path.join(tmp.dir, 'roundtrip.mcap');
    const writer = await McapBagWriter.create(file);
    const samples: [string, string, unknown][] = [
      ['/camera/image_raw', MessageTypes.Image, image],
      ['/camera/image_raw/compressed', MessageTypes.CompressedImage, compressed],
      ['/detections', MessageTypes.Detection2DArray, detections],
      ['/detections/labels', MessageTypes.LabelInfo, labels],
    ];
    // Fired without awaiting each, as a stream would: the writer serialises them.
    const pending: Promise<void>[] = [];
    for (const [topic, type] of samples) {
      pending.push(writer.addTopic(topic, type, registry.schemaText(type)));
    }
    for (let i = 0; i < 3; i++) {
      for (const [topic, type, message] of samples) {
        const codec = MessageCodec.fromSchema(type, registry.schemaText(type));
        const t = 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n;
        pending.push(writer.write(topic, t, t - 5n, codec.encode(message)));
      }
    }
    await writer.close();
    await Promise.all(pending);
    assert.deepEqual(await readdir(tmp.dir), ['roundtrip.mcap']); // the .partial was renamed

    const bag = await openBag(file);
    try {
      assert.deepEqual(
        bag.topics.map((t) => [
          t.name,
          t.type,
          t.messageCount,
          t.schemaEncoding,
          t.messageEncoding,
        ]),
        samples.map(([topic, type]) => [topic, type, 3, 'ros2msg', 'cdr']),
      );
      const codecs = new Map(
        bag.topics.map((t) => [t.name, MessageCodec.fromSchema(t.type, t.schemaText ?? '')]),
      );
      const expected = new Map(samples.map(([topic, , message]) => [topic, message]));
      let count = 0;
      for await (const m of bag.messages()) {
        assert.equal(m.publishTime, m.logTime - 5n);
        assert.deepStrictEqual(codecs.get(m.topic)?.decode(m.data), expected.get(m.topic));
        count++;
      }
      assert.equal(count, 12);
    } finally {
      await bag.close();
    }
  });

  it('writes what rosbag2 and Foxglove expect: ros2 profile, library, schemas, chunks, indexes', async function () {
    const file = path.join(tmp.dir, 'format.mcap');
    const writer = await McapBagWriter.create(file, { chunkSize: 64 });
    const type = MessageTypes.Image;
    await writer.addTopic('/a', type, registry.schemaText(type));
    await writer.addTopic('/b', type, registry.schemaText(type));
    const data = MessageCodec.fromSchema(type, registry.schemaText(type)).encode(image);
    for (let i = 0n; i < 5n; i++) {
      await writer.write('/a', 10n + i, 10n + i, data);
    }
    await writer.close();

    const handle = await open(file, 'r');
    try {
      const reader = await McapIndexedReader.Initialize({
        readable: new FileHandleReadable(handle),
      });
      const pkg = JSON.parse(
        await readFile(new URL('../../../package.json', import.meta.url), 'utf8'),
      ) as { version: string };
      assert.equal(reader.header.profile, 'ros2');
      assert.equal(reader.header.library, `mobilenet-ros ${pkg.version}`);
      const schemas = [...reader.schemasById.values()];
      assert.equal(schemas.length, 1, 'one schema shared by both Image topics');
      assert.equal(schemas[0]?.name, 'sensor_msgs/msg/Image');
      assert.equal(schemas[0]?.encoding, 'ros2msg');
      assert.equal(
        new TextDecoder().decode(schemas[0]?.data),
        registry.schemaText('sensor_msgs/msg/Image'),
      );
      const channels = [...reader.channelsById.values()];
      assert.deepEqual(
        channels.map((c) => [c.id, c.topic, c.messageEncoding]),
        [
          [1, '/a', 'cdr'],
          [2, '/b', 'cdr'],
        ],
      );
      assert.ok(reader.chunkIndexes.length >= 5, 'small chunk size -> one chunk per message');
      assert.ok(reader.chunkIndexes.every((c) => c.compression === ''));
      assert.equal(reader.statistics?.messageCount, 5n);
      const sequences: number[] = [];
      for await (const m of reader.readMessages()) {
        sequences.push(m.sequence);
      }
      assert.deepEqual(sequences, [0, 1, 2, 3, 4]);
    } finally {
      await handle.close();
    }
  });

  it('refuses an existing output unless forced, and a .partial in the way', async function () {
    const file = path.join(tmp.dir, 'exists.mcap');
    await writeFile(file, 'old');
    await assert.rejects(McapBagWriter.create(file), (error: unknown) => {
      assert.ok(error instanceof BagError);
      assert.equal(error.code, 'BAG_OUTPUT_EXISTS');
      assert.match(error.message, /exists\.mcap exists; choose another output path, or pass force/);
      return true;
    });
    assert.equal(await readFile(file, 'utf8'), 'old');

    const forced = await McapBagWriter.create(file, { force: true });
    await forced.close();
    assert.notEqual(await readFile(file, 'utf8'), 'old');
    const bag = await openBag(file);
    assert.deepEqual(bag.topics, []);
    await bag.close();

    const other = path.join(tmp.dir, 'other.mcap');
    await writeFile(`${other}.partial`, 'someone else');
    await assert.rejects(McapBagWriter.create(other), (error: unknown) => {
      assert.ok(error instanceof BagError);
      assert.equal(error.code, 'BAG_OUTPUT_EXISTS');
      assert.match(error.message, /other\.mcap\.partial exists/);
      return true;
    });
  });

  it('writes to <path>.partial until close(), which is idempotent', async function () {
    const file = path.join(tmp.dir, 'partial.mcap');
    const writer = await McapBagWriter.create(file);
    await writer.addTopic(
      '/labels',
      MessageTypes.LabelInfo,
      registry.schemaText(MessageTypes.LabelInfo),
    );
    const entries = await readdir(tmp.dir);
    assert.ok(entries.includes('partial.mcap.partial'));
    assert.ok(!entries.includes('partial.mcap'));
    const first = writer.close();
    assert.equal(writer.close(), first);
    await first;
    await writer.close();
    const after = await readdir(tmp.dir);
    assert.ok(after.includes('partial.mcap') && !after.includes('partial.mcap.partial'));
    assert.throws(() => writer.write('/labels', 1n, 1n, new Uint8Array(4)), /closed/);
  });

  it('refuses bad arguments: unknown topic, bad type name, conflicting topic, bad time, bad schema', async function () {
    const writer = await McapBagWriter.create(path.join(tmp.dir, 'args.mcap'));
    try {
      const schema = registry.schemaText(MessageTypes.Image);
      assert.throws(() => writer.write('/nope', 1n, 1n, new Uint8Array(1)), RangeError);
      assert.throws(() => writer.addTopic('/a', 'sensor_msgs/Image', schema), TypeError);
      await writer.addTopic('/a', MessageTypes.Image, schema);
      await writer.addTopic('/a', MessageTypes.Image, schema); // same again: no-op
      assert.throws(
        () => writer.addTopic('/a', MessageTypes.CompressedImage, schema),
        /topic '\/a' was added with type sensor_msgs\/msg\/Image/,
      );
      assert.throws(() => writer.write('/a', -1n, 1n, new Uint8Array(1)), RangeError);
      assert.throws(
        () => writer.addTopic('/b', MessageTypes.Image, 'this is not a definition !'),
        /does not parse/,
      );
    } finally {
      await writer.close();
    }
  });

  it('copies data at write() so the caller may reuse its buffer', async function () {
    const file = path.join(tmp.dir, 'reuse.mcap');
    const writer = await McapBagWriter.create(file);
    await writer.addTopic('/s', 'std_msgs/msg/String', 'string data\n');
    const buffer = new Uint8Array([0, 1, 0, 0, 2, 0, 0, 0, 0x41, 0]);
    const writes = [writer.write('/s', 1n, 1n, buffer)];
    buffer[8] = 0x42; // reused before the queued write ran
    writes.push(writer.write('/s', 2n, 2n, buffer));
    await Promise.all(writes);
    await writer.close();
    const bag = await openBag(file);
    const seen: number[] = [];
    for await (const m of bag.messages()) {
      seen.push(m.data[8] ?? 0);
    }
    await bag.close();
    assert.deepEqual(seen, [0x41, 0x42]);
  });
});
