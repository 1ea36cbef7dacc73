/**
 * Every bag that ROS 2 itself wrote (shared/data/rosbag2): opened, every message decoded,
 * re-encoded with our codec and decoded again to equal values. Values, not bytes: ROS leaves
 * garbage in padding. This is the check that our readers, CDR codec and schema handling agree
 * with ROS 2.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { parse as parseYaml } from 'yaml';

import type { BagReader, TopicInfo } from '../../src/bag/bagReader.js';
import { MessageCodec } from '../../src/bag/messageCodec.js';
import { openBag } from '../../src/bag/openBag.js';
import { rosbag2Dir, tempDir } from './bagTestSupport.js';

interface Decoded {
  topic: string;
  logTime: bigint;
  value: unknown;
}

/**
 * Round-trips every message of `bag` and returns the decoded values. `reference` supplies
 * schemas for topics whose bag stores none (Humble .db3).
 */
async function roundTripAll(
  bag: BagReader,
  reference: ReadonlyMap<string, string>,
): Promise<Decoded[]> {
  const codecs = new Map<string, MessageCodec>();
  const topics = new Map<string, TopicInfo>(bag.topics.map((t) => [t.name, t]));
  const decoded: Decoded[] = [];
  let previous = -1n;
  for await (const message of bag.messages()) {
    const topic = topics.get(message.topic);
    assert.ok(topic, `message on unknown topic ${message.topic}`);
    assert.equal(message.type, topic.type);
    assert.ok(message.logTime >= previous, `log time goes back at ${message.topic}`);
    previous = message.logTime;
    let codec = codecs.get(message.topic);
    if (codec === undefined) {
      const schema = topic.schemaText ?? reference.get(topic.type);
      assert.ok(schema, `no schema for ${topic.type} in ${bag.path} nor in the MCAP bags`);
      codec = MessageCodec.fromSchema(topic.type, schema);
      codecs.set(message.topic, codec);
    }
    const value = codec.decode(message.data);
    const again = codec.decode(codec.encode(value));
    assert.deepStrictEqual(again, value, `${message.topic} at ${message.logTime}`);
    decoded.push({ topic: message.topic, logTime: message.logTime, value });
  }
  return decoded;
}

async function bagFiles(): Promise<string[]> {
  return (await readdir(rosbag2Dir)).filter((f) => /\.(mcap|db3)$/.test(f)).sort();
}

describe('rosbag2 conformance (bags written by ROS 2)', function () {
  const reference = new Map<string, string>();

  before(async function () {
    // Schemas for Humble .db3 bags come from the MCAP copies of the same recordings.
    for (const file of (await bagFiles()).filter((f) => f.endsWith('.mcap'))) {
      const bag = await openBag(path.join(rosbag2Dir, file)).catch(() => undefined);
      for (const topic of bag?.topics ?? []) {
        if (topic.schemaText !== undefined && !reference.has(topic.type)) {
          reference.set(topic.type, topic.schemaText);
        }
      }
      await bag?.close();
    }
  });

  it('finds the bags', async function () {
    const files = await bagFiles();
    assert.ok(files.filter((f) => f.endsWith('.mcap')).length >= 4, files.join(', '));
    assert.ok(files.filter((f) => f.endsWith('.db3')).length >= 4, files.join(', '));
  });

  describe('every message of every file round-trips', function () {
    // Listed synchronously so that mocha sees one test per file.
    const files = [
      'humble_rosbag2_py_test_resources_talker_talker.db3',
      'humble_rosbag2_tests_resources_cdr_test_cdr_test_0.db3',
      'rosbag2_cpp_test_rosbag2_cpp_bags_only_topics.mcap',
      'rosbag2_py_test_resources_mcap_talker_talker.mcap',
      'rosbag2_py_test_resources_sqlite3_talker_talker.db3',
      'rosbag2_tests_resources_mcap_bag_with_topics_and_service_events_bag_with_topics_and_service_events.mcap',
      'rosbag2_tests_resources_mcap_cdr_test_cdr_test_0.mcap',
      'rosbag2_tests_resources_sqlite3_cdr_test_cdr_test_0.db3',
    ];

    it('covers every bag file in the folder', async function () {
      assert.deepEqual(await bagFiles(), [...files].sort());
    });

    for (const file of files) {
      it(file, async function () {
        const bag = await openBag(path.join(rosbag2Dir, file));
        try {
          const decoded = await roundTripAll(bag, reference);
          const expected = bag.topics.reduce((sum, t) => sum + t.messageCount, 0);
          assert.ok(expected > 0);
          assert.equal(decoded.length, expected);
        } finally {
          await bag.close();
        }
      });
    }
  });

  it('reads the same cdr_test values from MCAP, Jazzy .db3 and Humble .db3', async function () {
    const values: Decoded[][] = [];
    for (const file of [
      'rosbag2_tests_resources_mcap_cdr_test_cdr_test_0.mcap',
      'rosbag2_tests_resources_sqlite3_cdr_test_cdr_test_0.db3',
      'humble_rosbag2_tests_resources_cdr_test_cdr_test_0.db3',
    ]) {
      const bag = await openBag(path.join(rosbag2Dir, file));
      try {
        values.push(await roundTripAll(bag, reference));
      } finally {
        await bag.close();
      }
    }
    assert.equal(values[0]?.length, 7);
    assert.deepStrictEqual(values[1], values[0]);
    assert.deepStrictEqual(values[2], values[0]);
    // Spot checks against what the rosbag2 test wrote.
    const arrays = values[0]?.find((d) => d.topic === '/array_topic')?.value as Record<
      string,
      unknown
    >;
    assert.deepStrictEqual(arrays.float64_values_default, new Float64Array([3.1415, 0, -3.1415]));
    assert.deepStrictEqual(arrays.string_values_default, ['', 'max value', 'min value']);
    assert.deepStrictEqual(
      arrays.uint64_values_default,
      new BigUint64Array([0n, 1n, 18446744073709551615n]),
    );
    assert.deepStrictEqual(arrays.bool_values_default, [false, true, false]);
  });

  it('decodes service events recorded with a .srv schema into request/response', async function () {
    const bag = await openBag(
      path.join(
        rosbag2Dir,
        'rosbag2_tests_resources_mcap_bag_with_topics_and_service_events_bag_with_topics_and_service_events.mcap',
      ),
    );
    try {
      const decoded = await roundTripAll(bag, reference);
      const events = decoded
        .filter((d) => d.topic === '/test_service1/_service_event')
        .map(
          (d) =>
            d.value as {
              info: { event_type: number; sequence_number: bigint; client_gid: Uint8Array };
              request: unknown[];
              response: unknown[];
            },
        );
      assert.equal(events.length, 4);
      // REQUEST_SENT (0) carries the request, RESPONSE_RECEIVED (3) the response.
      assert.deepEqual(
        events.map((e) => [e.info.event_type, e.request.length, e.response.length]),
        [
          [0, 1, 0],
          [3, 0, 1],
          [0, 1, 0],
          [3, 0, 1],
        ],
      );
      assert.deepEqual(
        events.map((e) => e.info.sequence_number),
        [1n, 1n, 2n, 2n],
      );
      assert.equal(events[0]?.info.client_gid.length, 16);
    } finally {
      await bag.close();
    }
  });

  describe('bag directories with metadata.yaml', function () {
    let dirs: { dir: string; remove: () => Promise<void> } | undefined;
    after(() => dirs?.remove());

    it('opens each recording laid out as rosbag2 writes it, with the counts of its metadata', async function () {
      dirs = await tempDir();
      const all = await readdir(rosbag2Dir);
      const metadataFiles = all.filter((f) => f.endsWith('_metadata.yaml'));
      assert.equal(metadataFiles.length, 4);
      for (const metadataFile of metadataFiles) {
        const prefix = metadataFile.slice(0, -'metadata.yaml'.length);
        const bagFile = all.find((f) => f.startsWith(prefix) && /\.(mcap|db3)$/.test(f));
        assert.ok(bagFile, `no bag beside ${metadataFile}`);
        const metadata = parseYaml(await readFile(path.join(rosbag2Dir, metadataFile), 'utf8')) as {
          rosbag2_bagfile_information: {
            relative_file_paths: string[];
            topics_with_message_count: {
              topic_metadata: { name: string; type: string };
              message_count: number;
            }[];
          };
        };
        const info = metadata.rosbag2_bagfile_information;
        const dir = path.join(dirs.dir, prefix);
        await mkdir(dir);
        await copyFile(path.join(rosbag2Dir, metadataFile), path.join(dir, 'metadata.yaml'));
        await copyFile(
          path.join(rosbag2Dir, bagFile),
          path.join(dir, info.relative_file_paths[0] ?? ''),
        );

        for (const target of [dir, path.join(dir, 'metadata.yaml')]) {
          const bag = await openBag(target);
          try {
            assert.equal(bag.path, dir);
            for (const entry of info.topics_with_message_count) {
              const topic = bag.topics.find((t) => t.name === entry.topic_metadata.name);
              assert.ok(topic, `${entry.topic_metadata.name} in ${prefix}`);
              assert.equal(topic.type, entry.topic_metadata.type);
              assert.equal(topic.messageCount, entry.message_count, `${prefix} ${topic.name}`);
            }
            const decoded = await roundTripAll(bag, reference);
            assert.equal(
              decoded.length,
              info.topics_with_message_count.reduce((sum, e) => sum + e.message_count, 0),
            );
          } finally {
            await bag.close();
          }
        }
      }
    });
  });
});
