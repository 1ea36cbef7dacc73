import type { Box } from '../postprocess/box.js';
import type { RegionMapping } from './regionMapping.js';

/** One region of a frame, placed in a canvas of the mosaic. */
export interface MosaicCell {
  /** Index of the region in the list given to {@link packRegions}. */
  readonly region: number;
  /** The canvas it is in (the batch index of the model run). */
  readonly canvas: number;
  /** The cell in its canvas: whole pixels, the region scaled fills it. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /**
   * The region mapped onto the whole canvas (source pixels -> canvas pixels), at the scale that
   * fits the region alone to the canvas: mapNormalizedBox of it maps canvas boxes back.
   */
  readonly mapping: RegionMapping;
}

/** Regions packed into as few canvases as will hold them. */
export interface RegionMosaic {
  readonly canvases: number;
  readonly cells: readonly MosaicCell[];
}

/**
 * Grey pixels between two cells of a canvas. With 2, the face detector once joined hair at the
 * edges of two neighbouring cells into a face (0.78) that neither region alone showed; with 8
 * and 16, packed runs found exactly the faces of one run per region on face-api's six group photos.
 */
const GAP = 8;

/**
 * Packs regions of a frame (e.g. person boxes) into canvases of `width` x `height`, each region at
 * the one scale that fits it alone to a canvas ('fit' in regionMapping): what a model run on that
 * region alone would see, so a face is as large as it would be there. A person box is tall and
 * the face detector's input wide, so a region alone leaves most of its canvas border: standing
 * people go side by side, several to one canvas, and one model run (or a batch of canvases) does
 * the work of several.
 *
 * Shelf packing, tallest first: cells fill shelves left to right, shelves fill a canvas top to
 * bottom, a new canvas when none has room. Each canvas's content is centred, so a lone region is
 * placed as it would be alone. Pure.
 *
 * @throws RangeError for an empty or non-finite region, or a bad canvas size.
 */
export function packRegions(regions: readonly Box[], width: number, height: number): RegionMosaic {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`'width' and 'height' must be positive integers, got ${width}x${height}`);
  }
  const sized = regions.map((box, region) => {
    const w = box.xmax - box.xmin;
    const h = box.ymax - box.ymin;
    if (![box.xmin, box.ymin, box.xmax, box.ymax].every(Number.isFinite) || !(w > 0 && h > 0)) {
      throw new RangeError(
        `region ${region} must be a finite box with positive width and height, got ${JSON.stringify(box)}`,
      );
    }
    const scale = Math.min(width / w, height / h);
    return {
      region,
      box,
      scale,
      width: Math.min(width, Math.ceil(w * scale - 1e-9)),
      height: Math.min(height, Math.ceil(h * scale - 1e-9)),
    };
  });
  const order = [...sized].sort((a, b) => b.height - a.height || b.width - a.width);

  interface Shelf {
    y: number;
    height: number;
    used: number;
    cells: { item: (typeof sized)[number]; x: number }[];
  }
  const canvases: { shelves: Shelf[]; used: number }[] = [];
  for (const item of order) {
    let placed = false;
    for (const canvas of canvases) {
      const shelf = canvas.shelves.find(
        (s) => s.height >= item.height && s.used + GAP + item.width <= width,
      );
      if (shelf !== undefined) {
        shelf.cells.push({ item, x: shelf.used + GAP });
        shelf.used += GAP + item.width;
        placed = true;
        break;
      }
      if (canvas.used + GAP + item.height <= height) {
        const y = canvas.used + GAP;
        canvas.shelves.push({ y, height: item.height, used: item.width, cells: [{ item, x: 0 }] });
        canvas.used = y + item.height;
        placed = true;
        break;
      }
    }
    if (!placed) {
      canvases.push({
        shelves: [{ y: 0, height: item.height, used: item.width, cells: [{ item, x: 0 }] }],
        used: item.height,
      });
    }
  }

  const cells: MosaicCell[] = [];
  canvases.forEach((canvas, index) => {
    const dy = Math.floor((height - canvas.used) / 2);
    for (const shelf of canvas.shelves) {
      const dx = Math.floor((width - shelf.used) / 2);
      for (const { item, x } of shelf.cells) {
        const cellX = x + dx;
        // Each shelf's cells sit on its top edge; a shorter cell than the shelf is centred in it.
        const cellY = shelf.y + dy + Math.floor((shelf.height - item.height) / 2);
        const { box, scale } = item;
        cells.push({
          region: item.region,
          canvas: index,
          x: cellX,
          y: cellY,
          width: item.width,
          height: item.height,
          mapping: {
            region: box,
            width,
            height,
            scaleX: scale,
            scaleY: scale,
            offsetX: cellX + (item.width - (box.xmax - box.xmin) * scale) / 2 - box.xmin * scale,
            offsetY: cellY + (item.height - (box.ymax - box.ymin) * scale) / 2 - box.ymin * scale,
          },
        });
      }
    }
  });
  cells.sort((a, b) => a.region - b.region);
  return { canvases: canvases.length, cells };
}

/**
 * The cell of `canvas` that holds the point (x, y) in canvas pixels: where a detection whose
 * centre is there came from; undefined in the gaps and the border.
 */
export function cellAt(
  mosaic: RegionMosaic,
  canvas: number,
  x: number,
  y: number,
): MosaicCell | undefined {
  return mosaic.cells.find(
    (c) => c.canvas === canvas && x >= c.x && x < c.x + c.width && y >= c.y && y < c.y + c.height,
  );
}
