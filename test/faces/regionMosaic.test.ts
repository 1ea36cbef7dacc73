import assert from 'node:assert/strict';
import type { Box } from '../../src/postprocess/box.js';
import { regionMapping } from '../../src/faces/regionMapping.js';
import { cellAt, packRegions, type RegionMosaic } from '../../src/faces/regionMosaic.js';

const W = 320;
const H = 240;

function box(xmin: number, ymin: number, width: number, height: number): Box {
  return { xmin, ymin, xmax: xmin + width, ymax: ymin + height };
}

/** A small seeded generator (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Everything a mosaic promises, checked on its own. */
function checkMosaic(regions: readonly Box[], mosaic: RegionMosaic): void {
  assert.deepEqual(
    mosaic.cells.map((c) => c.region),
    regions.map((_, i) => i),
    'each region once, in order',
  );
  for (const cell of mosaic.cells) {
    const region = regions[cell.region]!;
    const where = `region ${cell.region} ${JSON.stringify(region)}`;
    assert.ok(cell.canvas >= 0 && cell.canvas < mosaic.canvases, where);
    assert.ok(cell.x >= 0 && cell.y >= 0, where);
    assert.ok(cell.x + cell.width <= W && cell.y + cell.height <= H, `${where}: inside the canvas`);
    // The scale the region gets alone ('fit'): faces as large as in a run of their own.
    const alone = regionMapping(region, W, H, 'fit');
    assert.ok(Math.abs(cell.mapping.scaleX - alone.scaleX) < 1e-12, `${where}: scale`);
    assert.equal(cell.mapping.scaleX, cell.mapping.scaleY);
    // The region's corners land on the cell, to within the rounding of its size.
    const u0 = region.xmin * cell.mapping.scaleX + cell.mapping.offsetX;
    const v0 = region.ymin * cell.mapping.scaleY + cell.mapping.offsetY;
    const u1 = region.xmax * cell.mapping.scaleX + cell.mapping.offsetX;
    const v1 = region.ymax * cell.mapping.scaleY + cell.mapping.offsetY;
    assert.ok(u0 >= cell.x - 1e-9 && v0 >= cell.y - 1e-9, `${where}: top left in the cell`);
    assert.ok(
      u1 <= cell.x + cell.width + 1e-9 && v1 <= cell.y + cell.height + 1e-9,
      `${where}: bottom right in the cell`,
    );
    assert.ok(cell.width - (u1 - u0) < 1 && cell.height - (v1 - v0) < 1, `${where}: cell fits`);
    for (const other of mosaic.cells) {
      if (other === cell || other.canvas !== cell.canvas) continue;
      const apart =
        other.x >= cell.x + cell.width ||
        cell.x >= other.x + other.width ||
        other.y >= cell.y + cell.height ||
        cell.y >= other.y + other.height;
      assert.ok(apart, `${where} overlaps region ${other.region}`);
    }
  }
}

describe('packRegions', () => {
  it('places a lone region as a run of its own would: same scale, centred', () => {
    const region = box(100, 40, 90, 300);
    const mosaic = packRegions([region], W, H);
    checkMosaic([region], mosaic);
    assert.equal(mosaic.canvases, 1);
    const alone = regionMapping(region, W, H, 'fit');
    const { mapping } = mosaic.cells[0]!;
    assert.ok(Math.abs(mapping.offsetX - alone.offsetX) <= 0.5, 'centred to half a pixel');
    assert.ok(Math.abs(mapping.offsetY - alone.offsetY) <= 0.5);
  });

  it('puts standing people side by side: three person boxes take one canvas, not three', () => {
    // Person boxes of a 640x480 frame, about 2.5 times as tall as wide.
    const regions = [box(20, 100, 60, 160), box(200, 90, 66, 170), box(400, 120, 55, 150)];
    const mosaic = packRegions(regions, W, H);
    checkMosaic(regions, mosaic);
    assert.equal(mosaic.canvases, 1);
    assert.ok(mosaic.cells.every((c) => c.height === H));
  });

  it('stacks wide regions, and opens another canvas when one is full', () => {
    const wide = [box(0, 0, 400, 100), box(0, 200, 400, 100)];
    const stacked = packRegions(wide, W, H);
    checkMosaic(wide, stacked);
    assert.equal(stacked.canvases, 1);
    const square = [box(0, 0, 100, 100), box(200, 0, 100, 100), box(0, 200, 100, 100)];
    const full = packRegions(square, W, H);
    checkMosaic(square, full);
    assert.equal(full.canvases, 3, "a square region alone fills a canvas's height");
  });

  it('keeps its promises on 300 random sets of regions', () => {
    const next = random(17);
    for (let run = 0; run < 300; run++) {
      const regions = Array.from({ length: 1 + Math.floor(next() * 8) }, () =>
        box(next() * 600, next() * 400, 1 + next() * 300, 1 + next() * 400),
      );
      const mosaic = packRegions(regions, W, H);
      checkMosaic(regions, mosaic);
      assert.ok(mosaic.canvases <= regions.length);
    }
  });

  it('finds the cell under a point, and none in the gaps and border', () => {
    const regions = [box(20, 100, 60, 160), box(200, 90, 66, 170)];
    const mosaic = packRegions(regions, W, H);
    for (const cell of mosaic.cells) {
      const hit = cellAt(mosaic, cell.canvas, cell.x + cell.width / 2, cell.y + cell.height / 2);
      assert.equal(hit?.region, cell.region);
    }
    const [a, b] = [...mosaic.cells].sort((p, q) => p.x - q.x);
    assert.equal(cellAt(mosaic, 0, (a!.x + a!.width + b!.x) / 2, H / 2), undefined, 'the gap');
    assert.equal(cellAt(mosaic, 0, 0.5, H / 2), undefined, 'the border');
    assert.equal(cellAt(mosaic, 1, a!.x + 1, a!.y + 1), undefined, 'no such canvas');
  });

  it('refuses an empty or non-finite region and a bad canvas', () => {
    assert.throws(() => packRegions([box(0, 0, 0, 10)], W, H), /region 0 must be a finite box/);
    assert.throws(
      () => packRegions([{ xmin: 0, ymin: 0, xmax: Number.NaN, ymax: 1 }], W, H),
      /region 0/,
    );
    assert.throws(() => packRegions([], 0, H), /'width' and 'height' must be positive integers/);
    assert.deepEqual(packRegions([], W, H), { canvases: 0, cells: [] });
  });
});
