import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { McapBagWriter } from '../../src/bag/mcapBagWriter.js';
import { MessageCodec } from '../../src/bag/messageCodec.js';
import { openBag } from '../../src/bag/openBag.js';
import { MessageRegistry } from '../../src/messages/messageRegistry.js';
import { MessageTypes, type Detection2DArray, type Header } from '../../src/messages/types.js';
import { repoRoot } from '../support/paths.js';
import {
  fuzzSeedsOf,
  hostileCameraMessages,
  indexOfFrameId,
  type HostileEntry,
} from './hostileCameraMessages.js';

const SEED = 20_261_204;
const COUNT = 10_000;
const TOPICS = { raw: '/fuzz/image_raw', compressed: '/fuzz/image_raw/compressed' } as const;
const GIB = 1024 ** 3;

/** Writes the entries into an MCAP bag, one message each, 1 ms apart in log time. */
async function writeBag(file: string, entries: readonly HostileEntry[]): Promise<void> {
  const registry = MessageRegistry.withBuiltins();
  const imageSchema = registry.schemaText(MessageTypes.Image);
  const compressedSchema = registry.schemaText(MessageTypes.CompressedImage);
  const image = MessageCodec.fromSchema(MessageTypes.Image, imageSchema);
  const compressed = MessageCodec.fromSchema(MessageTypes.CompressedImage, compressedSchema);
  const writer = await McapBagWriter.create(file);
  try {
    await writer.addTopic(TOPICS.raw, MessageTypes.Image, imageSchema);
    await writer.addTopic(TOPICS.compressed, MessageTypes.CompressedImage, compressedSchema);
    for (const [i, entry] of entries.entries()) {
      const time = 1_000_000_000n + BigInt(i) * 1_000_000n;
      if (entry.type === 'bytes') {
        await writer.write(TOPICS[entry.topic], time, time, entry.bytes);
      } else if (entry.type === 'raw') {
        await writer.write(TOPICS.raw, time, time, image.encode(entry.message));
      } else {
        await writer.write(TOPICS.compressed, time, time, compressed.encode(entry.message));
      }
    }
  } finally {
    await writer.close();
  }
}

interface ChildReport {
  frames: number;
  failed: number;
  failuresByReason: Record<string, number>;
  seconds: number;
  peakRssBytes: number;
}

/** `replay` in its own process (see support/replayWithPeakRss.ts). */
async function replayInChild(bag: string, output: string): Promise<ChildReport> {
  const script = path.join(repoRoot, 'dist/test/fuzz/support/replayWithPeakRss.js');
  const child = spawn(process.execPath, [script, bag, output], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, `replay exited with ${code}: ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildReport;
}

/** The /detections messages of the output bag, by the index in their frame_id. */
async function detectionsByIndex(file: string): Promise<Map<number, Header>> {
  const reader = await openBag(file);
  try {
    const topic = reader.topics.find((t) => t.name === '/detections');
    assert.ok(topic, 'the output has /detections');
    const codec = MessageCodec.fromSchema<Detection2DArray>(
      topic.type,
      topic.schemaText ?? MessageRegistry.withBuiltins().schemaText(topic.type),
    );
    const out = new Map<number, Header>();
    for await (const m of reader.messages({ topics: ['/detections'] })) {
      const { header } = codec.decode(m.data);
      const index = indexOfFrameId(header.frame_id);
      assert.ok(index !== undefined, `an output header we did not send: ${header.frame_id}`);
      assert.ok(!out.has(index), `frame ${index} answered twice`);
      out.set(index, header);
    }
    return out;
  } finally {
    await reader.close();
  }
}

describe('replay under hostile input (seeded fuzz)', function () {
  this.timeout(600_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-replay-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`answers every valid frame with its header and counts each of ${COUNT} hostile-mixed messages with its reason, under 1 GiB`, async () => {
    const entries = hostileCameraMessages(fuzzSeedsOf('coffee.jpg'), {
      seed: SEED,
      count: COUNT,
      validEvery: 20,
      rawBytes: true,
    });
    const bag = path.join(dir, 'hostile.mcap');
    const output = path.join(dir, 'out.mcap');
    await writeBag(bag, entries);

    const report = await replayInChild(bag, output);
    const answered = await detectionsByIndex(output);

    assert.equal(report.frames, COUNT, 'every message became a frame or a failure');
    assert.equal(report.failed, COUNT - answered.size, 'every frame is answered or failed');
    const reasons = Object.entries(report.failuresByReason);
    assert.equal(
      reasons.reduce((n, [, c]) => n + c, 0),
      report.failed,
      'every failure has a reason',
    );
    for (const [reason] of reasons) {
      assert.match(reason, /^[A-Z][A-Z0-9_]+$/, `a failure without a code: ${reason}`);
    }

    const byKind = new Map<string, { answered: number; refused: number }>();
    for (const [i, entry] of entries.entries()) {
      const header = answered.get(i);
      const counts = byKind.get(entry.kind) ?? { answered: 0, refused: 0 };
      byKind.set(entry.kind, counts);
      if (header === undefined) counts.refused++;
      else counts.answered++;
      if (entry.expect === 'answer') {
        assert.ok(header !== undefined, `valid frame ${i} (${entry.kind}) was not answered`);
        if ('message' in entry) assert.deepEqual(header, entry.message.header);
      } else if (entry.expect === 'refuse') {
        assert.equal(header, undefined, `hostile message ${i} (${entry.kind}) was answered`);
      }
    }
    assert.ok(
      report.peakRssBytes < GIB,
      `peak RSS ${(report.peakRssBytes / 2 ** 20).toFixed(0)} MiB, limit 1024 MiB`,
    );
    // What happened, for the log of the run (and the closing note).
    console.log(
      `      ${COUNT} messages in ${report.seconds.toFixed(1)} s, peak RSS ` +
        `${(report.peakRssBytes / 2 ** 20).toFixed(0)} MiB; failed by reason: ` +
        `${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}`,
    );
    console.log(
      `      by kind (answered/refused): ${[...byKind.entries()]
        .map(([k, c]) => `${k} ${c.answered}/${c.refused}`)
        .join(', ')}`,
    );
  });
});
