import assert from 'node:assert/strict';
import type { DiagnosticArray, Detection2DArray } from '../../src/messages/types.js';
import { harness, type Harness } from '../ros/rosTestSupport.js';
import { fuzzSeedsOf, hostileCameraMessages } from './hostileCameraMessages.js';

const SEED = 4_122_026;
const COUNT = 10_000;
const cameras = {
  'cameras.names': ['packed', 'raw'],
  'cameras.packed.topic': '/fuzz/image_raw',
  'cameras.packed.transport': 'compressed',
  'cameras.raw.topic': '/fuzz/raw',
};
const TOPIC = { compressed: '/fuzz/image_raw/compressed', raw: '/fuzz/raw' } as const;
const CAMERA = { compressed: 'packed', raw: 'raw' } as const;

/** Resolves once `condition` holds, checking on every turn of the event loop. */
async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("the node's subscription path under hostile input (seeded fuzz, rclnodejs double)", function () {
  this.timeout(600_000);
  let h: Harness | undefined;
  after(async () => {
    await h?.node.shutdown();
  });

  it(`answers every valid frame with its header and counts each of ${COUNT} hostile-mixed messages with its reason`, async () => {
    const entries = hostileCameraMessages(fuzzSeedsOf('coffee.jpg'), {
      seed: SEED,
      count: COUNT,
      validEvery: 20,
      // Bytes that are not CDR: the node's subscriptions are raw, so they reach its decoder.
      rawBytes: true,
    });
    h = await harness(cameras);
    await h.node.configure();
    h.node.activate();
    const { fake, node } = h;
    const detections = fake.publisher('/detections');
    const accounted = (camera: string): boolean => {
      const t = node.stats.total(camera);
      return t.received === t.published + t.errors + t.dropped + t.rateLimited;
    };

    const answered = new Set<number>();
    let refused = 0;
    for (const [i, entry] of entries.entries()) {
      const type = entry.type === 'bytes' ? entry.topic : entry.type;
      const camera = CAMERA[type];
      const before = { published: detections.count, errors: node.stats.total(camera).errors };
      if (entry.type === 'bytes') fake.deliverRaw(TOPIC[type], entry.bytes);
      else fake.deliver(TOPIC[type], entry.message);
      // One at a time: each message is processed before the next arrives, so none is dropped
      // and each outcome belongs to this message.
      await until(() => accounted(camera), `message ${i} (${entry.kind}) to be accounted for`);
      const published = detections.count - before.published;
      const failed = node.stats.total(camera).errors - before.errors;
      assert.equal(published + failed, 1, `message ${i} (${entry.kind}): one outcome`);
      if (published === 1) {
        const message = detections.published.at(-1)?.message as Detection2DArray;
        assert.ok('message' in entry, `message ${i}: bytes that are no message were answered`);
        assert.deepEqual(message.header, entry.message.header, `message ${i}: its own header`);
        answered.add(i);
      } else {
        refused++;
        const reason = node.stats.total(camera).lastError ?? '';
        assert.ok(
          reason.length < 1000,
          `message ${i}: a bounded reason, got ${reason.length} chars`,
        );
      }
      if (entry.expect === 'answer') assert.equal(published, 1, `valid frame ${i} not answered`);
      if (entry.expect === 'refuse') assert.equal(failed, 1, `hostile message ${i} answered`);
      // The double keeps what is published; the test only needs the newest.
      detections.published.length = 0;
    }

    const totals = ['packed', 'raw'].map((c) => node.stats.total(c));
    assert.equal(
      totals.reduce((n, t) => n + t.dropped, 0),
      0,
      'nothing dropped at one message at a time',
    );
    assert.equal(
      totals.reduce((n, t) => n + t.errors, 0),
      refused,
    );
    const reasons = new Map<string, number>();
    for (const t of totals)
      for (const [r, n] of t.errorsByReason) reasons.set(r, (reasons.get(r) ?? 0) + n);
    assert.equal(
      [...reasons.values()].reduce((a, b) => a + b, 0),
      refused,
    );
    for (const reason of reasons.keys()) assert.match(reason, /^[A-Z][A-Z0-9_]+$/);

    // /diagnostics says it too: ERROR with the counts by reason, and the node still runs.
    const diagnostics = fake.publisher('/diagnostics');
    h.clock.ms += 1000;
    h.tick();
    const report = diagnostics.published.at(-1)?.message as DiagnosticArray;
    for (const status of report.status) {
      assert.equal(status.level, 2, `${status.name}: ERROR after failed frames`);
      const byReason = status.values.find((v) => v.key === 'errors_total_by_reason');
      assert.match(byReason?.value ?? '', /^[A-Z_]+ \d+/, `${status.name}: counts by reason`);
      assert.ok(status.message.length < 1000, `${status.name}: a bounded message`);
    }
    assert.equal(node.state, 'active');
    console.log(
      `      ${answered.size} answered, ${refused} refused; by reason: ` +
        [...reasons.entries()].map(([r, n]) => `${r} ${n}`).join(', '),
    );
  });
});
