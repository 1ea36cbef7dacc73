import assert from 'node:assert/strict';
import { BoxKalmanFilter } from '../../src/tracking/boxKalmanFilter.js';

const box = (x: number, y: number, w = 40, h = 80) => ({
  xmin: x,
  ymin: y,
  xmax: x + w,
  ymax: y + h,
});

describe('BoxKalmanFilter', () => {
  it('learns a constant velocity from stamps and predicts ahead', () => {
    const filter = new BoxKalmanFilter(box(0, 100));
    // 120 px/s to the right, 10 frames at 20 fps.
    for (let i = 1; i <= 10; i++) {
      filter.predict(0.05);
      filter.update(box(6 * i, 100));
    }
    assert.ok(Math.abs(filter.velocity.x - 120) < 6, `vx ${filter.velocity.x}`);
    assert.ok(Math.abs(filter.velocity.y) < 3, `vy ${filter.velocity.y}`);
    filter.predict(0.5); // a half-second occlusion
    const predicted = filter.box;
    assert.ok(Math.abs(predicted.xmin - (60 + 60)) < 5, `xmin ${predicted.xmin}`);
    assert.ok(Math.abs(predicted.xmax - predicted.xmin - 40) < 1);
  });

  it('stays put with dt = 0 and refuses negative steps', () => {
    const filter = new BoxKalmanFilter(box(10, 20));
    filter.predict(0);
    assert.deepEqual(filter.box, box(10, 20));
    assert.throws(() => filter.predict(-0.1), /'dt' must be a number >= 0 seconds, got -0.1/);
  });

  it('never inverts a box that shrinks fast', () => {
    const filter = new BoxKalmanFilter(box(0, 0, 40, 40));
    filter.predict(0.1);
    filter.update(box(0, 0, 4, 4));
    filter.predict(5);
    const b = filter.box;
    assert.ok(b.xmax > b.xmin && b.ymax > b.ymin);
  });
});
