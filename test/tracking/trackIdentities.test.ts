import assert from 'node:assert/strict';
import {
  TrackIdentities,
  type TrackIdentitiesOptions,
} from '../../src/tracking/trackIdentities.js';

const options: TrackIdentitiesOptions = {
  window: 10,
  minVotes: 3,
  margin: 0.2,
  holdS: 2,
  unknownWeight: 0.4,
};
const FPS = 10;

/** Feeds one result per frame at 10 fps on track "1"; '-' is a frame without a face. */
function run(ids: TrackIdentities, labels: readonly string[], start = 0): string[] {
  return labels.map((label, i) => {
    const stamp = (start + i) / FPS;
    const score = label === '' ? 0.2 : 0.6;
    ids.update(stamp, label === '-' ? [] : [{ trackId: '1', identity: label, score }]);
    return ids.identityOf('1').identity;
  });
}

describe('TrackIdentities', () => {
  it('names a track after minVotes matches, not on one frame', () => {
    const ids = new TrackIdentities(options);
    assert.deepEqual(run(ids, ['ada', 'ada', 'ada', 'ada']), ['', '', 'ada', 'ada']);
    assert.equal(ids.identityOf('1').votes, 4);
    assert.ok(Math.abs(ids.identityOf('1').score - 0.6) < 1e-9);
  });

  it('one wrong frame (a flicker) does not change the name', () => {
    const ids = new TrackIdentities(options);
    const names = run(ids, ['ada', 'ada', 'ada', 'ada', 'bob', 'ada', 'bob', 'ada', 'ada']);
    assert.deepEqual(names.slice(2), Array(7).fill('ada'));
  });

  it('keeps the name through frames without a face and unknown faces, for holdS seconds', () => {
    const ids = new TrackIdentities(options);
    run(ids, ['ada', 'ada', 'ada']); // named at 0.2 s
    // 1.5 s hidden, then 0.4 s turned away (unknown): within holdS = 2 s of the last match.
    const hidden = run(ids, [...Array<string>(15).fill('-'), '', '', '', ''], 3);
    assert.deepEqual(hidden, Array(19).fill('ada'));
    // More than 2 s after the last match the name goes.
    assert.deepEqual(run(ids, ['-', '-'], 23), ['', '']);
  });

  it('a face seen again renews the hold', () => {
    const ids = new TrackIdentities(options);
    run(ids, ['ada', 'ada', 'ada']);
    run(ids, Array(15).fill('-'), 3);
    run(ids, ['ada'], 18);
    assert.deepEqual(run(ids, Array(19).fill('-'), 19), Array(19).fill('ada'));
  });

  it('an unknown stranger stays unknown, also with an occasional false match', () => {
    const ids = new TrackIdentities(options);
    const names = run(ids, ['', '', 'bob', '', '', '', 'bob', '', '', '', '', 'bob', '']);
    assert.deepEqual(names, Array(13).fill(''));
  });

  it('another name that wins the vote replaces the first', () => {
    const ids = new TrackIdentities(options);
    const names = run(ids, ['ada', 'ada', 'ada', ...Array<string>(8).fill('bob')]);
    assert.equal(names[2], 'ada');
    assert.equal(names.at(-1), 'bob');
  });

  it('tracks are independent; stamps going backwards forget every track', () => {
    const ids = new TrackIdentities(options);
    for (let i = 0; i < 3; i++) {
      ids.update(i / FPS, [
        { trackId: '1', identity: 'ada', score: 0.6 },
        { trackId: '2', identity: '', score: 0.1 },
      ]);
    }
    assert.equal(ids.identityOf('1').identity, 'ada');
    assert.equal(ids.identityOf('2').identity, '');
    ids.update(0, []);
    assert.equal(ids.identityOf('1').identity, '');
    assert.equal(ids.trackCount, 0);
  });

  it('rejects settings out of range, naming them', () => {
    assert.throws(() => new TrackIdentities({ ...options, window: 0 }), /'window' must be/);
    assert.throws(
      () => new TrackIdentities({ ...options, minVotes: 11 }),
      /'minVotes' must be an integer in \[1, window=10\], got 11/,
    );
    assert.throws(() => new TrackIdentities({ ...options, margin: 1.5 }), RangeError);
    assert.throws(() => new TrackIdentities({ ...options, holdS: -1 }), /'holdS'/);
    assert.throws(() => new TrackIdentities(options).update(NaN, []), /'stamp'/);
  });
});
