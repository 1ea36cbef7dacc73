import assert from 'node:assert/strict';
import { assignFacesToTracks } from '../../src/tracking/assignFacesToTracks.js';

const box = (xmin: number, ymin: number, xmax: number, ymax: number) => ({
  xmin,
  ymin,
  xmax,
  ymax,
});

describe('assignFacesToTracks', () => {
  it('gives a face the track of the person box holding its centre', () => {
    const persons = [
      { trackId: '1', box: box(0, 0, 100, 300) },
      { trackId: '2', box: box(200, 0, 300, 300) },
    ];
    assert.deepEqual(
      assignFacesToTracks(
        [box(220, 10, 260, 60), box(20, 10, 60, 60), box(120, 10, 160, 60)],
        persons,
      ),
      ['2', '1', undefined],
    );
  });

  it('overlapping people: the box covering more of the face, then the smaller box', () => {
    const persons = [
      { trackId: 'far', box: box(0, 0, 400, 400) },
      { trackId: 'near', box: box(100, 50, 250, 400) },
    ];
    assert.deepEqual(assignFacesToTracks([box(120, 60, 160, 100)], persons), ['near']);
    // Centre inside both, but half of the face sticks out of the near box.
    assert.deepEqual(assignFacesToTracks([box(80, 60, 120, 100)], persons), ['far']);
  });

  it('one face per track: the second face in a box gets none', () => {
    const persons = [{ trackId: '1', box: box(0, 0, 200, 300) }];
    assert.deepEqual(assignFacesToTracks([box(10, 10, 30, 30), box(100, 10, 160, 70)], persons), [
      undefined,
      '1',
    ]);
    assert.deepEqual(assignFacesToTracks([], persons), []);
    assert.deepEqual(assignFacesToTracks([box(10, 10, 30, 30)], []), [undefined]);
  });
});
