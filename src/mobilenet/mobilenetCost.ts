import { LAYER_TYPES, layerCost, type LayerCost, type LayerType } from './layerCost.js';
import type { MobilenetV1Architecture } from './mobilenetV1.js';

/** Sums over layers. */
export interface CostTotals {
  /** Multiply-accumulates per image. */
  readonly multAdds: number;
  /** Parameters as the paper counts them (kernels and the FC weight matrix). */
  readonly parameters: number;
  /** Biases of the BatchNorm-folded graph (see {@link LayerCost.biases}). */
  readonly biases: number;
}

/** A layer type's part of the totals, as fractions in [0, 1]. */
export interface CostShare {
  readonly multAdds: number;
  readonly parameters: number;
}

/** The per-layer cost of a MobileNetV1, its totals and the shares per layer type (Table 2). */
export interface CostReport {
  readonly architecture: MobilenetV1Architecture;
  readonly layers: readonly LayerCost[];
  readonly totals: CostTotals;
  /** Sums per layer type. */
  readonly byType: Readonly<Record<LayerType, CostTotals>>;
  /** Shares of the totals per layer type; each column sums to 1. */
  readonly shares: Readonly<Record<LayerType, CostShare>>;
}

/** Cost model of a MobileNetV1: per layer, in total, and per layer type. Pure. */
export function mobilenetCost(architecture: MobilenetV1Architecture): CostReport {
  const layers = architecture.layers.map(layerCost);
  const totals = sum(layers);
  const byType = {} as Record<LayerType, CostTotals>;
  const shares = {} as Record<LayerType, CostShare>;
  for (const type of LAYER_TYPES) {
    const typed = sum(layers.filter((l) => l.type === type));
    byType[type] = typed;
    shares[type] = {
      multAdds: totals.multAdds === 0 ? 0 : typed.multAdds / totals.multAdds,
      parameters: totals.parameters === 0 ? 0 : typed.parameters / totals.parameters,
    };
  }
  return { architecture, layers, totals, byType, shares };
}

function sum(costs: readonly LayerCost[]): CostTotals {
  let multAdds = 0;
  let parameters = 0;
  let biases = 0;
  for (const c of costs) {
    multAdds += c.multAdds;
    parameters += c.parameters;
    biases += c.biases;
  }
  return { multAdds, parameters, biases };
}
