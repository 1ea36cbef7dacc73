import assert from 'node:assert/strict';
import {
  centreInside,
  clusterRegions,
  fittedView,
  fixedInputPlan,
} from '../../src/faces/regionClusters.js';

const ULFD = { width: 320, height: 240 };
const box = (xmin: number, ymin: number, xmax: number, ymax: number) => ({
  xmin,
  ymin,
  xmax,
  ymax,
});
const scale = (b: ReturnType<typeof box>) =>
  Math.min(ULFD.width / (b.xmax - b.xmin), ULFD.height / (b.ymax - b.ymin));

describe('clusterRegions (person regions sharing one face-detector run)', function () {
  it('puts people standing side by side into one run when the union keeps their scale', function () {
    // Three people of 240 px height, 90 px wide each, in a row: 270 x 240 fits 320 x 240 at 1.0.
    const people = [box(0, 0, 90, 240), box(90, 0, 180, 240), box(180, 0, 270, 240)];
    const clusters = clusterRegions(people, fixedInputPlan(320, 240));
    assert.equal(clusters.length, 1);
    assert.deepEqual(clusters[0]!.box, box(0, 0, 270, 240));
    assert.equal(clusters[0]!.members.length, 3);
  });

  it('never shows a region at less than 95% of its own scale', function () {
    const people = [
      box(0, 0, 90, 240),
      box(90, 0, 180, 240),
      box(180, 0, 270, 240),
      box(270, 0, 360, 240), // a fourth makes 360 wide: scale 0.89
      box(500, 300, 530, 380), // small and far: its own scale 3.0
      box(600, 0, 700, 200),
    ];
    const clusters = clusterRegions(people, fixedInputPlan(320, 240));
    for (const c of clusters)
      for (const m of c.members) assert.ok(scale(c.box) >= 0.95 * scale(m), JSON.stringify(c));
    assert.equal(
      clusters.reduce((n, c) => n + c.members.length, 0),
      people.length,
      'every region in exactly one run',
    );
    assert.ok(clusters.length >= 3 && clusters.length < people.length, `${clusters.length} runs`);
  });

  it('keeps a single region as it is, and nothing from nothing', function () {
    assert.deepEqual(clusterRegions([box(10, 20, 50, 120)], fixedInputPlan(320, 240)), [
      { box: box(10, 20, 50, 120), members: [box(10, 20, 50, 120)] },
    ]);
    assert.deepEqual(clusterRegions([], fixedInputPlan(320, 240)), []);
  });
});

describe('fittedView and centreInside', function () {
  it("grows a region about its centre to the detector's aspect, as its own run sees it", function () {
    assert.deepEqual(fittedView(box(100, 0, 190, 240), ULFD), box(-15, 0, 305, 240));
    assert.deepEqual(fittedView(box(0, 100, 320, 160), ULFD), box(0, 10, 320, 250));
  });

  it('tests the centre of a box against regions', function () {
    const regions = [box(0, 0, 100, 100)];
    assert.equal(centreInside(box(80, 80, 110, 110), regions), true);
    assert.equal(centreInside(box(90, 90, 130, 130), regions), false);
  });
});
