import assert from 'node:assert/strict';
import { ByteTracker, type TrackableDetection } from '../../src/tracking/byteTracker.js';
import { CameraTrackers } from '../../src/tracking/cameraTrackers.js';

const options = { highScore: 0.5, lowScore: 0.2, matchIou: 0.3, minHits: 2, maxAgeS: 1 };

const det = (x: number, score = 0.9, classId = 1, y = 100): TrackableDetection => ({
  classId,
  score,
  box: { xmin: x, ymin: y, xmax: x + 50, ymax: y + 100 },
});

describe('ByteTracker', () => {
  it('confirms a track after minHits and keeps its id while it moves', () => {
    const tracker = new ByteTracker(options);
    assert.deepEqual(tracker.update(0, [det(0)]), [undefined]);
    assert.deepEqual(tracker.update(0.1, [det(10)]), ['1']);
    for (let i = 2; i < 20; i++) assert.deepEqual(tracker.update(i * 0.1, [det(10 * i)]), ['1']);
  });

  it('keeps the track through a frame where the score dips below highScore', () => {
    const tracker = new ByteTracker(options);
    tracker.update(0, [det(0)]);
    tracker.update(0.1, [det(10)]);
    assert.deepEqual(tracker.update(0.2, [det(20, 0.3)]), ['1']);
    assert.deepEqual(tracker.update(0.3, [det(30)]), ['1']);
  });

  it('never starts a track from a weak detection, nor continues a tentative one with it', () => {
    const tracker = new ByteTracker(options);
    assert.deepEqual(tracker.update(0, [det(0, 0.3)]), [undefined]);
    assert.equal(tracker.trackCount, 0);
    tracker.update(0.1, [det(0)]);
    assert.deepEqual(tracker.update(0.2, [det(5, 0.3)]), [undefined]);
    assert.equal(tracker.trackCount, 0, 'the tentative track missed a frame and was dropped');
  });

  it('ignores detections below lowScore', () => {
    const tracker = new ByteTracker(options);
    tracker.update(0, [det(0)]);
    tracker.update(0.1, [det(10)]);
    assert.deepEqual(tracker.update(0.2, [det(20, 0.1)]), [undefined]);
  });

  it('matches only detections of the same class', () => {
    const tracker = new ByteTracker(options);
    tracker.update(0, [det(0, 0.9, 1)]);
    tracker.update(0.1, [det(0, 0.9, 1)]);
    // Same place, other class: a new (tentative) track; the old one misses.
    assert.deepEqual(tracker.update(0.2, [det(0, 0.9, 17)]), [undefined]);
    assert.deepEqual(tracker.update(0.3, [det(0, 0.9, 17)]), ['2']);
  });

  it('keeps a confirmed track through an occlusion shorter than maxAgeS, predicted along its path', () => {
    const tracker = new ByteTracker(options);
    for (let i = 0; i < 10; i++) tracker.update(i * 0.1, [det(20 * i)]);
    // Hidden for 0.5 s while moving 200 px/s; it comes back 100 px further on.
    for (let i = 10; i < 15; i++) tracker.update(i * 0.1, []);
    assert.deepEqual(tracker.update(1.5, [det(300)]), ['1']);
  });

  it('drops a track unseen for longer than maxAgeS', () => {
    const tracker = new ByteTracker(options);
    tracker.update(0, [det(0)]);
    tracker.update(0.1, [det(0)]);
    tracker.update(1.2, []);
    assert.equal(tracker.trackCount, 0);
    tracker.update(1.3, [det(0)]);
    assert.deepEqual(tracker.update(1.4, [det(0)]), ['2']);
  });

  it('gives two crossing objects optimal, stable ids', () => {
    const tracker = new ByteTracker({ ...options, minHits: 1 });
    const ids: (string | undefined)[][] = [];
    for (let i = 0; i <= 20; i++) {
      // A moves right, B left, on nearby rows; they overlap in the middle frames.
      ids.push(tracker.update(i / 10, [det(10 * i, 0.9, 1, 100), det(200 - 10 * i, 0.9, 1, 110)]));
    }
    for (const frame of ids) assert.deepEqual(frame, ['1', '2']);
  });

  it('drops all tracks when the stamps go backwards, and ids go on counting', () => {
    const tracker = new ByteTracker(options);
    tracker.update(10, [det(0)]);
    assert.deepEqual(tracker.update(10.1, [det(0)]), ['1']);
    assert.deepEqual(tracker.update(0, [det(0)]), [undefined]);
    assert.equal(tracker.resets, 1);
    assert.deepEqual(tracker.update(0.1, [det(0)]), ['2']);
  });

  it('refuses settings out of range, naming them', () => {
    assert.throws(
      () => new ByteTracker({ ...options, lowScore: 0.6 }),
      /'lowScore' must not exceed 'highScore', got 0.6 > 0.5/,
    );
    assert.throws(
      () => new ByteTracker({ ...options, matchIou: 0 }),
      /'matchIou' must be in \(0, 1\], got 0/,
    );
    assert.throws(
      () => new ByteTracker({ ...options, minHits: 0 }),
      /'minHits' must be an integer >= 1/,
    );
    assert.throws(
      () => new ByteTracker({ ...options, maxAgeS: -1 }),
      /'maxAgeS' must be a number of seconds >= 0/,
    );
    assert.throws(() => new ByteTracker(options).update(NaN, []), /'stamp' must be finite/);
  });
});

describe('CameraTrackers', () => {
  it('keeps ids and state per camera, and clear() starts over', () => {
    const trackers = new CameraTrackers(options);
    trackers.update('/a', 0, [det(0)]);
    assert.deepEqual(trackers.update('/a', 0.1, [det(0)]), ['1']);
    // Camera b at an earlier stamp: no reset of camera a.
    trackers.update('/b', -5, [det(0)]);
    assert.deepEqual(trackers.update('/b', -4.9, [det(0)]), ['1']);
    assert.deepEqual(trackers.update('/a', 0.2, [det(0)]), ['1']);
    trackers.clear();
    trackers.update('/a', 0.3, [det(0)]);
    assert.deepEqual(trackers.update('/a', 0.4, [det(0)]), ['1']);
  });

  it('validates its options at construction', () => {
    assert.throws(
      () => new CameraTrackers({ ...options, highScore: 2 }),
      /'highScore' must be in \[0, 1\], got 2/,
    );
  });
});
