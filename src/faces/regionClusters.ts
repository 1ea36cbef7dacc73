import type { Box } from '../postprocess/box.js';

/** Person regions that one face-detector run covers together. */
export interface RegionCluster {
  /** The union of the members: what the detector sees, fitted to its input. */
  readonly box: Box;
  readonly members: readonly Box[];
}

/** How a detector would take a region by itself: its input size and the region's scale in it. */
export interface RegionPlan {
  readonly width: number;
  readonly height: number;
  readonly scale: number;
}

/**
 * Groups regions into shared detector runs where that costs neither resolution nor work: a group
 * is taken as the union of its members, and a region joins a group only if the union is shown
 * at no less than `keep` times each member's own scale, and the union's input has no more
 * pixels than the group's and the region's inputs apart plus `runPixels` (what a run costs
 * beyond its pixels). With a fixed input (every plan the same size) only the scale decides: a
 * tall person box fitted into 320x240 leaves room beside it for the next one.
 *
 * Greedy and deterministic: regions are taken left to right (then top to bottom), each joins the
 * first group it may join, else starts one. Pure.
 */
export function clusterRegions(
  regions: readonly Box[],
  plan: (box: Box) => RegionPlan,
  options: { readonly keep?: number; readonly runPixels?: number } = {},
): RegionCluster[] {
  const keep = options.keep ?? 0.95;
  const runPixels = options.runPixels ?? 0;
  const pixels = (p: RegionPlan): number => p.width * p.height;
  const order = [...regions].sort((a, b) => a.xmin - b.xmin || a.ymin - b.ymin);
  const clusters: { box: Box; members: Box[]; needed: number; pixels: number }[] = [];
  for (const region of order) {
    const own = plan(region);
    const target = clusters.find((c) => {
      const union = plan(unionBox(c.box, region));
      return (
        union.scale >= Math.max(c.needed, own.scale * keep) &&
        pixels(union) <= c.pixels + pixels(own) + runPixels
      );
    });
    if (target === undefined) {
      clusters.push({
        box: region,
        members: [region],
        needed: own.scale * keep,
        pixels: pixels(own),
      });
    } else {
      target.box = unionBox(target.box, region);
      target.members.push(region);
      target.needed = Math.max(target.needed, own.scale * keep);
      target.pixels = pixels(plan(target.box));
    }
  }
  return clusters.map(({ box, members }) => ({ box, members }));
}

/** The plan of a region fitted (aspect kept) into a fixed input of `width` x `height`. */
export function fixedInputPlan(width: number, height: number): (box: Box) => RegionPlan {
  return (box) => ({
    width,
    height,
    scale: Math.min(width / (box.xmax - box.xmin), height / (box.ymax - box.ymin)),
  });
}

/**
 * The region grown about its centre to the input's aspect ratio: what an input of that shape,
 * fitted to the region, shows. Its scale in the input is the region's, and its height is the
 * one a minimum input size applies to. Pure.
 */
export function fittedView(
  region: Box,
  input: { readonly width: number; readonly height: number },
): Box {
  const w = region.xmax - region.xmin;
  const h = region.ymax - region.ymin;
  const aspect = input.width / input.height;
  const cx = (region.xmin + region.xmax) / 2;
  const cy = (region.ymin + region.ymax) / 2;
  const vw = Math.max(w, h * aspect);
  const vh = Math.max(h, w / aspect);
  return { xmin: cx - vw / 2, ymin: cy - vh / 2, xmax: cx + vw / 2, ymax: cy + vh / 2 };
}

/** Whether the centre of `box` lies inside any of `regions`. */
export function centreInside(box: Box, regions: readonly Box[]): boolean {
  const x = (box.xmin + box.xmax) / 2;
  const y = (box.ymin + box.ymax) / 2;
  return regions.some((r) => x >= r.xmin && x <= r.xmax && y >= r.ymin && y <= r.ymax);
}

function unionBox(a: Box, b: Box): Box {
  return {
    xmin: Math.min(a.xmin, b.xmin),
    ymin: Math.min(a.ymin, b.ymin),
    xmax: Math.max(a.xmax, b.xmax),
    ymax: Math.max(a.ymax, b.ymax),
  };
}
