import assert from 'node:assert/strict';
import path from 'node:path';
import { firstValueFrom, take, tap, toArray } from 'rxjs';
import type { CameraFrame } from '../../src/sources/cameraFrame.js';
import { ImageFileSource } from '../../src/sources/imageFileSource.js';
import { fixturesDir } from '../support/paths.js';

const photos = ['astronaut.jpg', 'camera.jpg', 'chelsea.jpg', 'coffee.jpg', 'rocket.jpg'].map((f) =>
  path.join(fixturesDir, 'images', f),
);

describe('ImageFileSource', () => {
  it('reads files only readAhead ahead of frameDone(), in order', async () => {
    const source = new ImageFileSource(photos, { readAhead: 2 });
    const frames: CameraFrame[] = [];
    const subscription = source.frames.subscribe((f) => frames.push(f));
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(
        frames.map((f) => f.topic),
        photos.slice(0, 2),
      );
      source.frameDone();
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(frames.length, 3);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('reads every file when frames are done, and completes; a missing file is an invalid frame', async () => {
    const missing = path.join(fixturesDir, 'images', 'missing.jpg');
    const source = new ImageFileSource([...photos, missing]);
    const frames = await firstValueFrom(
      source.frames.pipe(
        tap(() => source.frameDone()),
        toArray(),
      ),
    );
    assert.equal(frames.length, 6);
    assert.equal(frames[5]?.payload.kind, 'invalid');
  });

  it('refuses a second concurrent subscription, and can be read again after the first ends', async () => {
    const source = new ImageFileSource(photos);
    const subscription = source.frames.subscribe();
    await assert.rejects(firstValueFrom(source.frames), /already being read by another subscriber/);
    subscription.unsubscribe();
    // The first subscription ends its pass asynchronously (a read may be under way).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await firstValueFrom(source.frames.pipe(take(1)));
    assert.equal(again.topic, photos[0]);
  });
});
