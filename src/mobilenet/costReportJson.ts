import type { LayerType } from './layerCost.js';
import type { CostReport, CostShare, CostTotals } from './mobilenetCost.js';
import type { MobileNetLayer } from './mobilenetLayer.js';
import { separableVsStandard, type BlockComparison } from './separableVsStandard.js';

/** The JSON form of a cost report (`mobilenet cost --json`). */
export interface CostReportJson {
  readonly alpha: number;
  readonly resolution: number;
  readonly convolution: string;
  readonly classes: number;
  /** Each layer's shape fields with its cost. */
  readonly layers: readonly (MobileNetLayer & {
    readonly type: LayerType | null;
    readonly multAdds: number;
    readonly parameters: number;
    readonly biases: number;
  })[];
  readonly totals: CostTotals;
  readonly shares: Readonly<Record<LayerType, CostShare>>;
  /** Separable networks only: each block against a standard convolution. */
  readonly blocks?: readonly BlockComparison[];
}

/** Flattens a cost report for JSON output (no repeated layer objects). Pure. */
export function costReportJson(report: CostReport): CostReportJson {
  const a = report.architecture;
  return {
    alpha: a.alpha,
    resolution: a.resolution,
    convolution: a.convolution,
    classes: a.classes,
    layers: report.layers.map((c) => ({
      ...c.layer,
      type: c.type,
      multAdds: c.multAdds,
      parameters: c.parameters,
      biases: c.biases,
    })),
    totals: report.totals,
    shares: report.shares,
    ...(a.convolution === 'separable' ? { blocks: separableVsStandard(a) } : {}),
  };
}
