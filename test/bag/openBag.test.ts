import assert from 'node:assert/strict';
import { copyFile, mkdir, open, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import Database from 'better-sqlite3';
import { McapIndexedReader, McapWriter } from '@mcap/core';
import { FileHandleReadable } from '@mcap/nodejs';

import { McapBagWriter } from '../../src/bag/mcapBagWriter.js';
import { openBag } from '../../src/bag/openBag.js';
import type { BagDamage, BagMessage } from '../../src/bag/bagReader.js';
import { BagError } from '../../src/errors.js';
import { rosbag2Dir, tempDir } from './bagTestSupport.js';

const cdrMcap = path.join(rosbag2Dir, 'rosbag2_tests_resources_mcap_cdr_test_cdr_test_0.mcap');
const cdrDb3 = path.join(rosbag2Dir, 'rosbag2_tests_resources_sqlite3_cdr_test_cdr_test_0.db3');
const talkerMcap = path.join(rosbag2Dir, 'rosbag2_py_test_resources_mcap_talker_talker.mcap');

async function rejectsWith(
  promise: Promise<unknown>,
  code: string,
  pattern: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof BagError, `expected a BagError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

async function countMessages(bagPath: string, topics?: string[]): Promise<number> {
  const bag = await openBag(bagPath);
  try {
    let n = 0;
    for await (const message of bag.messages(topics === undefined ? {} : { topics })) {
      assert.ok(message.data.byteLength > 0);
      n++;
    }
    return n;
  } finally {
    await bag.close();
  }
}

describe('openBag', function () {
  let tmp: { dir: string; remove: () => Promise<void> };
  before(async () => {
    tmp = await tempDir();
  });
  after(() => tmp.remove());

  describe('reading', function () {
    it('lists topics with types, schemas and counts (MCAP)', async function () {
      const bag = await openBag(cdrMcap);
      try {
        assert.deepEqual(
          bag.topics.map((t) => [
            t.name,
            t.type,
            t.messageCount,
            t.schemaEncoding,
            t.messageEncoding,
          ]),
          [
            ['/test_topic', 'test_msgs/msg/BasicTypes', 3, 'ros2msg', 'cdr'],
            ['/array_topic', 'test_msgs/msg/Arrays', 4, 'ros2msg', 'cdr'],
          ],
        );
        assert.match(bag.topics[0]?.schemaText ?? '', /^bool bool_value\n/);
      } finally {
        await bag.close();
      }
    });

    it('falls back to the registry for Humble .db3 and leaves unknown types without schema', async function () {
      const bag = await openBag(
        path.join(rosbag2Dir, 'humble_rosbag2_py_test_resources_talker_talker.db3'),
      );
      try {
        // std_msgs/String and rcl_interfaces/Log are not among our definitions.
        assert.ok(bag.topics.every((t) => t.schemaText === undefined));
      } finally {
        await bag.close();
      }
    });

    it('filters by topic and refuses topics the bag does not have', async function () {
      assert.equal(await countMessages(cdrMcap, ['/array_topic']), 4);
      assert.equal(await countMessages(cdrDb3, ['/test_topic']), 3);
      const bag = await openBag(cdrDb3);
      try {
        assert.throws(
          () => bag.messages({ topics: ['/tset_topic'] }),
          /\/tset_topic.*\/test_topic/,
        );
      } finally {
        await bag.close();
      }
    });

    it('stops cleanly when the consumer breaks off, and close() is idempotent', async function () {
      for (const file of [cdrMcap, cdrDb3]) {
        const bag = await openBag(file);
        for await (const message of bag.messages()) {
          assert.ok(message.logTime > 0n);
          break;
        }
        await Promise.all([bag.close(), bag.close()]);
        await bag.close();
        assert.throws(() => bag.messages(), /closed/);
      }
    });

    it('reads a .db3 without writing -wal/-shm files beside it', async function () {
      const dir = path.join(tmp.dir, 'nowal');
      await mkdir(dir);
      const copy = path.join(dir, 'bag.db3');
      await copyFile(cdrDb3, copy);
      assert.equal(await countMessages(copy), 7);
      assert.deepEqual(await readdir(dir), ['bag.db3']);
    });

    it('reads an MCAP without summary by streaming it', async function () {
      // Written without any index or summary, as a recorder that does no indexing would.
      const file = path.join(tmp.dir, 'unindexed.mcap');
      const source = await openBag(cdrMcap);
      const chunks: Uint8Array[] = [];
      const writer = new McapWriter({
        writable: {
          position: () => BigInt(chunks.reduce((sum, c) => sum + c.byteLength, 0)),
          write: (buffer: Uint8Array) => {
            chunks.push(buffer.slice());
            return Promise.resolve();
          },
        },
        useStatistics: false,
        useSummaryOffsets: false,
        repeatSchemas: false,
        repeatChannels: false,
        useChunkIndex: false,
        useMessageIndex: false,
        useAttachmentIndex: false,
        useMetadataIndex: false,
      });
      await writer.start({ profile: 'ros2', library: 'test writer' });
      const channels = new Map<string, number>();
      for (const topic of source.topics) {
        const schemaId = await writer.registerSchema({
          name: topic.type,
          encoding: 'ros2msg',
          data: new TextEncoder().encode(topic.schemaText),
        });
        channels.set(
          topic.name,
          await writer.registerChannel({
            topic: topic.name,
            schemaId,
            messageEncoding: 'cdr',
            metadata: new Map(),
          }),
        );
      }
      for await (const m of source.messages()) {
        await writer.addMessage({
          channelId: channels.get(m.topic) ?? 0,
          sequence: 0,
          logTime: m.logTime,
          publishTime: m.publishTime,
          data: m.data,
        });
      }
      await writer.end();
      await source.close();
      await writeFile(file, Buffer.concat(chunks));
      const handle = await open(file, 'r');
      await assert.rejects(
        McapIndexedReader.Initialize({ readable: new FileHandleReadable(handle) }),
        /File is not indexed/,
      );
      await handle.close();

      const bag = await openBag(file);
      try {
        assert.deepEqual(
          bag.topics.map((t) => [t.name, t.type, t.messageCount]),
          [
            ['/test_topic', 'test_msgs/msg/BasicTypes', 3],
            ['/array_topic', 'test_msgs/msg/Arrays', 4],
          ],
        );
      } finally {
        await bag.close();
      }
      assert.equal(await countMessages(file), 7);
      assert.equal(await countMessages(file, ['/test_topic']), 3);
    });

    it('reads a split bag directory file after file, in log-time order', async function () {
      const dir = path.join(tmp.dir, 'split');
      await mkdir(dir);
      const schema = 'string data\n';
      for (const [index, start] of [
        [0, 1n],
        [1, 100n],
      ] as const) {
        const writer = await McapBagWriter.create(path.join(dir, `split_${index}.mcap`));
        await writer.addTopic('/a', 'std_msgs/msg/String', schema);
        if (index === 1) {
          await writer.addTopic('/b', 'std_msgs/msg/String', schema);
          await writer.write('/b', start, start, new Uint8Array([0, 1, 0, 0, 1, 0, 0, 0, 0]));
        }
        for (let i = 0n; i < 3n; i++) {
          await writer.write(
            '/a',
            start + i,
            start + i,
            new Uint8Array([0, 1, 0, 0, 1, 0, 0, 0, 0]),
          );
        }
        await writer.close();
      }
      await writeFile(
        path.join(dir, 'metadata.yaml'),
        'rosbag2_bagfile_information:\n  version: 5\n  storage_identifier: mcap\n' +
          '  relative_file_paths:\n    - split_0.mcap\n    - split_1.mcap\n' +
          '  compression_format: ""\n  compression_mode: ""\n',
      );
      const bag = await openBag(dir);
      try {
        assert.deepEqual(
          bag.topics.map((t) => [t.name, t.messageCount]),
          [
            ['/a', 6],
            ['/b', 1],
          ],
        );
        const times: bigint[] = [];
        for await (const m of bag.messages()) {
          times.push(m.logTime);
        }
        assert.deepEqual(times, [1n, 2n, 3n, 100n, 100n, 101n, 102n]);
        let b = 0;
        for await (const m of bag.messages({ topics: ['/b'] })) {
          assert.equal(m.topic, '/b');
          b++;
        }
        assert.equal(b, 1);
      } finally {
        await bag.close();
      }
    });
  });

  describe('refusing bad input with the path, the reason and what to do', function () {
    it('a missing path', async function () {
      await rejectsWith(
        openBag(path.join(tmp.dir, 'nope.mcap')),
        'BAG_INVALID',
        /nope\.mcap: no such file or directory; pass a \.mcap or \.db3 file/,
      );
    });

    it('garbage named .mcap or .db3, and an empty file', async function () {
      for (const name of ['garbage.mcap', 'garbage.db3']) {
        const file = path.join(tmp.dir, name);
        await writeFile(file, 'this is not a bag at all, just text');
        await rejectsWith(
          openBag(file),
          'BAG_INVALID',
          new RegExp(`${name}: not a rosbag2 file: expected MCAP or SQLite 3 data`),
        );
      }
      const empty = path.join(tmp.dir, 'empty.mcap');
      await writeFile(empty, '');
      await rejectsWith(openBag(empty), 'BAG_INVALID', /found an empty file/);
    });

    it('a truncated MCAP: the messages before the cut are read, with a warning', async function () {
      // An interrupted recording, as a recorder killed mid-write leaves it: small chunks, no footer.
      const full = path.join(tmp.dir, 'full.mcap');
      const writer = await McapBagWriter.create(full, { chunkSize: 200 });
      const schema = 'string data\n';
      await writer.addTopic('/chatter', 'std_msgs/msg/String', schema);
      const message = (text: string): Uint8Array => {
        const bytes = Buffer.from(text, 'utf8');
        const out = Buffer.alloc(4 + 4 + bytes.length + 1);
        out.writeUInt32BE(0x00010000, 0); // CDR little-endian header
        out.writeUInt32LE(bytes.length + 1, 4);
        bytes.copy(out, 8);
        return out;
      };
      for (let i = 0; i < 50; i++)
        await writer.write('/chatter', BigInt(i), BigInt(i), message(`hello ${i}`));
      await writer.close();
      const data = await readFile(full);
      const file = path.join(tmp.dir, 'truncated.mcap');
      await writeFile(file, data.subarray(0, Math.floor(data.length / 2)));

      const bag = await openBag(file);
      try {
        assert.match(
          bag.warning ?? '',
          /truncated\.mcap is truncated .*reading the \d+ messages before the cut/,
        );
        let count = 0;
        for await (const m of bag.messages()) {
          assert.equal(m.logTime, BigInt(count));
          count++;
        }
        assert.ok(count > 5 && count < 50, `read ${count} messages`);
        assert.equal(count, bag.topics[0]?.messageCount);
      } finally {
        await bag.close();
      }
    });

    it('an MCAP whose chunk is damaged', async function () {
      const data = Buffer.from(await readFile(cdrMcap));
      const handle = await open(cdrMcap, 'r');
      const index = await McapIndexedReader.Initialize({
        readable: new FileHandleReadable(handle),
      });
      await handle.close();
      const chunk = index.chunkIndexes[0];
      assert.ok(chunk);
      // Overwrite the middle of the chunk's records: messages then land on garbage.
      const start = Number(chunk.chunkStartOffset) + 100;
      data.fill(0xff, start, start + Number(chunk.chunkLength) - 200);
      const file = path.join(tmp.dir, 'damaged.mcap');
      await writeFile(file, data);
      const bag = await openBag(file);
      try {
        await rejectsWith(
          (async () => {
            for await (const m of bag.messages()) {
              assert.ok(m);
            }
          })(),
          'BAG_INVALID',
          /damaged\.mcap: corrupt MCAP: .*mcap recover/,
        );
      } finally {
        await bag.close();
      }
    });

    it('an MCAP whose chunk is damaged, read with onDamage: reported with its offset and skipped; the file untouched', async function () {
      const data = Buffer.from(await readFile(talkerMcap));
      const handle = await open(talkerMcap, 'r');
      const index = await McapIndexedReader.Initialize({
        readable: new FileHandleReadable(handle),
      });
      await handle.close();
      const chunk = index.chunkIndexes[0];
      assert.ok(chunk);
      // ROS's talker bag: one zstd chunk with a CRC. Flip bytes inside its compressed records.
      assert.equal(chunk.compression, 'zstd');
      const start = Number(chunk.chunkStartOffset) + Math.floor(Number(chunk.chunkLength) / 2);
      for (let i = start; i < start + 16; i++) data[i] = data[i]! ^ 0xff;
      const file = path.join(tmp.dir, 'damaged-crc.mcap');
      await writeFile(file, data);
      const bag = await openBag(file);
      const damage: BagDamage[] = [];
      try {
        const messages: BagMessage[] = [];
        for await (const m of bag.messages({ onDamage: (d) => damage.push(d) })) messages.push(m);
        // ROS's bag has one chunk: nothing is left, and that is reported, not thrown.
        assert.equal(messages.length, 0);
        assert.equal(damage.length, 1);
        assert.equal(damage[0]?.offset, Number(chunk.chunkStartOffset));
        assert.match(
          damage[0]?.message ?? '',
          new RegExp(
            `damaged-crc\\.mcap: chunk at byte offset ${chunk.chunkStartOffset} \\(${chunk.chunkLength} bytes\\) is corrupt \\(Error during decompression\\); its messages are skipped`,
          ),
        );
      } finally {
        await bag.close();
      }
      assert.ok((await readFile(file)).equals(data), 'the bag is read, never written');
    });

    it('an MCAP with compressed chunks and no decompressor', async function () {
      await rejectsWith(
        openBag(talkerMcap, { decompressHandlers: {} }),
        'BAG_UNSUPPORTED',
        /compressed with zstd, and no decompressor.*mcap decompress/,
      );
    });

    it('a truncated .db3', async function () {
      const data = await readFile(cdrDb3);
      const file = path.join(tmp.dir, 'truncated.db3');
      await writeFile(file, data.subarray(0, 9000));
      await rejectsWith(openBag(file), 'BAG_INVALID', /truncated SQLite database/);
    });

    it('an SQLite file that is not a bag', async function () {
      const file = path.join(tmp.dir, 'other.db3');
      const db = new Database(file);
      db.exec('CREATE TABLE things(id INTEGER PRIMARY KEY)');
      db.close();
      await rejectsWith(openBag(file), 'BAG_INVALID', /not a rosbag2 bag \(it has no topics/);
    });

    it('a .db3 with a -wal file beside it', async function () {
      const dir = path.join(tmp.dir, 'withwal');
      await mkdir(dir);
      const file = path.join(dir, 'bag.db3');
      await copyFile(cdrDb3, file);
      await writeFile(`${file}-wal`, 'pending');
      await rejectsWith(openBag(file), 'BAG_INVALID', /not closed cleanly.*wal_checkpoint/);
    });

    it('a directory without metadata.yaml, and one that lists a missing file', async function () {
      const dir = path.join(tmp.dir, 'nometa');
      await mkdir(dir);
      await copyFile(cdrMcap, path.join(dir, 'x_0.mcap'));
      await rejectsWith(
        openBag(dir),
        'BAG_INVALID',
        /not a bag directory \(no metadata\.yaml\); open one of its files \(x_0\.mcap\)/,
      );
      await writeFile(
        path.join(dir, 'metadata.yaml'),
        'rosbag2_bagfile_information:\n  storage_identifier: mcap\n  relative_file_paths:\n    - x_1.mcap\n',
      );
      await rejectsWith(
        openBag(dir),
        'BAG_INVALID',
        /lists x_1\.mcap, which does not exist.*reindex/,
      );
      await writeFile(path.join(dir, 'metadata.yaml'), 'something: else\n');
      await rejectsWith(openBag(dir), 'BAG_INVALID', /storage_identifier/);
    });

    it('a compressed bag directory', async function () {
      const dir = path.join(tmp.dir, 'compressed');
      await mkdir(dir);
      await writeFile(
        path.join(dir, 'metadata.yaml'),
        'rosbag2_bagfile_information:\n  storage_identifier: sqlite3\n  relative_file_paths:\n' +
          '    - c_0.db3.zstd\n  compression_format: zstd\n  compression_mode: FILE\n',
      );
      await rejectsWith(openBag(dir), 'BAG_UNSUPPORTED', /compressed bag \(zstd, mode FILE\)/);
    });
  });
});
