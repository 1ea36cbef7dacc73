import assert from 'node:assert/strict';
import path from 'node:path';
import { firstValueFrom, take, tap, toArray, type Subscription } from 'rxjs';
import type { BagMessage, BagReader, ReadMessagesOptions } from '../../src/bag/bagReader.js';
import { openBag } from '../../src/bag/openBag.js';
import { writeSampleRecording } from '../../src/sample/sampleRecording.js';
import { BagFrameSource } from '../../src/sources/bagFrameSource.js';
import type { CameraFrame } from '../../src/sources/cameraFrame.js';
import { tempDir } from '../bag/bagTestSupport.js';

/**
 * A real bag reader that counts its passes that are open (started and not yet ended by the end
 * of the bag or by their iterator's return()).
 */
class CountingReader implements BagReader {
  open = 0;
  started = 0;
  read = 0;
  constructor(private readonly inner: BagReader) {}
  get path(): string {
    return this.inner.path;
  }
  get topics(): BagReader['topics'] {
    return this.inner.topics;
  }
  messages(options?: ReadMessagesOptions): AsyncIterable<BagMessage> {
    return this.pass(this.inner.messages(options));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  private async *pass(messages: AsyncIterable<BagMessage>): AsyncGenerator<BagMessage> {
    this.open++;
    this.started++;
    try {
      for await (const m of messages) {
        this.read++;
        yield m;
      }
    } finally {
      this.open--;
    }
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets pending reads settle. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe('BagFrameSource', function () {
  this.timeout(60_000);
  let bag: string;
  let remove: () => Promise<void>;
  let reader: CountingReader;

  before(async () => {
    const temp = await tempDir();
    remove = temp.remove;
    bag = path.join(temp.dir, 'sample.mcap');
    await writeSampleRecording({ output: bag, seconds: 1, fps: 5 }); // 10 frames
  });
  after(() => remove());
  beforeEach(async () => (reader = new CountingReader(await openBag(bag))));
  afterEach(() => reader.close());

  it('reads only readAhead frames ahead of frameDone()', async () => {
    const source = new BagFrameSource(reader, { readAhead: 3 });
    const frames: CameraFrame[] = [];
    const subscription = source.frames.subscribe((f) => frames.push(f));
    try {
      await until(() => frames.length === 3, '3 frames are out');
      await settle();
      assert.equal(frames.length, 3, 'no frame past the read-ahead');
      assert.ok(reader.read <= 3, `${reader.read} messages read for 3 frames`);
      source.frameDone();
      await until(() => frames.length === 4, 'one more frame');
      // A stray frameDone() cannot widen the read-ahead past its limit.
      for (let i = 0; i < 5; i++) source.frameDone();
      await until(() => frames.length === 7, 'three more frames');
      await settle();
      assert.equal(frames.length, 7);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('unsubscribing while it waits for frameDone() ends the reader pass', async () => {
    const source = new BagFrameSource(reader, { readAhead: 2 });
    const first = await firstValueFrom(source.frames); // unsubscribes after one frame
    assert.equal(first.sequence, 0);
    await until(() => reader.open === 0, 'the pass is closed');
    assert.equal(reader.started, 1);
    assert.ok(reader.read <= 2, `read ${reader.read} messages`);
  });

  it('unsubscribing mid-bag while frames flow ends the reader pass', async () => {
    const source = new BagFrameSource(reader, { readAhead: 2 });
    const frames = await firstValueFrom(
      source.frames.pipe(
        tap(() => source.frameDone()),
        take(4),
        toArray(),
      ),
    );
    assert.deepEqual(
      frames.map((f) => f.sequence),
      [0, 1, 2, 3],
    );
    await until(() => reader.open === 0, 'the pass is closed');
    assert.ok(reader.read < 10, `read ${reader.read} of 10 messages`);
  });

  it('a pass read to the end is closed, and the source completes', async () => {
    const source = new BagFrameSource(reader);
    const frames = await firstValueFrom(
      source.frames.pipe(
        tap(() => source.frameDone()),
        toArray(),
      ),
    );
    assert.equal(frames.length, 10);
    assert.equal(reader.open, 0);
  });

  it('refuses a second concurrent subscription; after the first ends, a new one starts over with fresh credits', async () => {
    const source = new BagFrameSource(reader, { readAhead: 2 });
    const frames: CameraFrame[] = [];
    let subscription: Subscription | undefined = source.frames.subscribe((f) => frames.push(f));
    try {
      await until(() => frames.length === 2, 'the first subscriber has its frames');
      await assert.rejects(
        firstValueFrom(source.frames),
        /frames of .*sample\.mcap are already being read by another subscriber/,
      );
      assert.equal(reader.started, 1, 'the refused subscription opened no pass');
      subscription.unsubscribe();
      subscription = undefined;
      await until(() => reader.open === 0, 'the first pass is closed');
      // The first subscription's frames were never done: its credits are not the new one's.
      const again = await firstValueFrom(source.frames.pipe(take(2), toArray()));
      assert.deepEqual(
        again.map((f) => f.sequence),
        [0, 1],
      );
      await until(() => reader.open === 0, 'the second pass is closed');
      assert.equal(reader.started, 2);
    } finally {
      subscription?.unsubscribe();
    }
  });

  it('rejects a readAhead below 1', () => {
    assert.throws(
      () => new BagFrameSource(reader, { readAhead: 0 }),
      (e: unknown) =>
        e instanceof RangeError && /'readAhead' must be an integer >= 1, got 0/.test(e.message),
    );
  });
});
