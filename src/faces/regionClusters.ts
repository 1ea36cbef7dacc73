import type { Box } from '../postprocess/box.js';

/** Person regions that one face-detector run covers together. */
export interface RegionCluster {
  /** The union of the members: what the detector sees, fitted to its input. */
  readonly box: Box;
  readonly members: readonly Box[];
}

/**
 * A box fitted into the detector's input (aspect kept) is scaled by min(W / w, H / h). A person
 * box is tall and narrow, so a 320x240 input shows it with most of its width as border: the box
 * beside it fits into that border at the same scale. This groups regions so that each group is
 * one detector run, and no region is shown smaller than `keep` times its own scale: faces lose
 * (almost) no pixels, and a crowd of N people takes a few runs instead of N.
 *
 * Greedy and deterministic: regions are taken left to right (then top to bottom), each joins the
 * first group whose grown union still keeps every member's scale, else starts a group. Pure.
 */
export function clusterRegions(
  regions: readonly Box[],
  input: { readonly width: number; readonly height: number },
  keep = 0.95,
): RegionCluster[] {
  const scale = (b: Box): number =>
    Math.min(input.width / (b.xmax - b.xmin), input.height / (b.ymax - b.ymin));
  const order = [...regions].sort((a, b) => a.xmin - b.xmin || a.ymin - b.ymin);
  const clusters: { box: Box; members: Box[]; needed: number }[] = [];
  for (const region of order) {
    const own = scale(region) * keep;
    const target = clusters.find((c) => {
      const union = unionBox(c.box, region);
      return scale(union) >= Math.max(c.needed, own);
    });
    if (target === undefined) {
      clusters.push({ box: region, members: [region], needed: own });
    } else {
      target.box = unionBox(target.box, region);
      target.members.push(region);
      target.needed = Math.max(target.needed, own);
    }
  }
  return clusters.map(({ box, members }) => ({ box, members }));
}

/**
 * What a region's own detector run would see: the region grown about its centre to the input's
 * aspect ratio (a fitted region shows the image around it in the border, and faces there, of
 * people the object detector missed, were found). Pure.
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
