import { LAYER_TYPE_LABELS, LAYER_TYPES } from './layerCost.js';
import type { CostReport } from './mobilenetCost.js';
import type { MobileNetLayer } from './mobilenetLayer.js';
import { separableVsStandard } from './separableVsStandard.js';
import { formatCount, formatMillions, formatPercent, textTable } from './textTable.js';

/**
 * The cost report as text: the per-layer table in the paper's Table 1 notation, the totals, the
 * shares per layer type (Table 2) and, for the separable network, each block against the
 * standard convolution it replaces. Pure.
 */
export function formatCostReport(report: CostReport): string {
  const arch = report.architecture;
  const title =
    `MobileNetV1 alpha ${arch.alpha}, resolution ${arch.resolution}, ` +
    `${arch.convolution === 'separable' ? 'depthwise separable' : 'standard'} convolutions, ${arch.classes} classes`;

  const layerRows = report.layers.map((c, i) => [
    String(i),
    c.layer.name,
    typeAndStride(c.layer),
    filterShape(c.layer),
    inputSize(c.layer),
    formatCount(c.multAdds),
    formatCount(c.parameters),
  ]);
  const layers = textTable(
    [
      { header: '#', align: 'right' },
      { header: 'layer' },
      { header: 'type / stride' },
      { header: 'filter shape' },
      { header: 'input size' },
      { header: 'mult-adds', align: 'right' },
      { header: 'params', align: 'right' },
    ],
    layerRows,
  );

  const t = report.totals;
  const totals = [
    `mult-adds:  ${formatCount(t.multAdds)} (${formatMillions(t.multAdds, 0)})`,
    `parameters: ${formatCount(t.parameters)} (${formatMillions(t.parameters, 1)}; kernels and FC weights, as the paper counts)`,
    `biases:     ${formatCount(t.biases)} more in the BatchNorm-folded graph (one per output channel, and the FC bias)`,
  ].join('\n');

  const shares = textTable(
    [
      { header: 'layer type' },
      { header: 'mult-adds', align: 'right' },
      { header: 'parameters', align: 'right' },
    ],
    LAYER_TYPES.map((type) => [
      LAYER_TYPE_LABELS[type],
      formatPercent(report.shares[type].multAdds),
      formatPercent(report.shares[type].parameters),
    ]),
  );

  const sections = [title, layers, totals, `Resources per layer type (Table 2)\n${shares}`];
  if (arch.convolution === 'separable') {
    const blocks = textTable(
      [
        { header: 'block', align: 'right' },
        { header: 'M', align: 'right' },
        { header: 'N', align: 'right' },
        { header: 'D_F', align: 'right' },
        { header: 'separable', align: 'right' },
        { header: 'standard', align: 'right' },
        { header: 'ratio', align: 'right' },
        { header: '1/N + 1/D_K^2', align: 'right' },
      ],
      separableVsStandard(arch).map((b) => [
        String(b.block),
        String(b.inChannels),
        String(b.outChannels),
        String(b.featureSize),
        formatCount(b.separableMultAdds),
        formatCount(b.standardMultAdds),
        b.ratio.toFixed(4),
        b.formula.toFixed(4),
      ]),
    );
    sections.push(`Depthwise separable block vs standard 3x3 convolution (mult-adds)\n${blocks}`);
  }
  return `${sections.join('\n\n')}\n`;
}

function typeAndStride(layer: MobileNetLayer): string {
  switch (layer.kind) {
    case 'conv':
      return `Conv / s${layer.stride}`;
    case 'depthwise':
      return `Conv dw / s${layer.stride}`;
    case 'avgpool':
      return 'Avg Pool / s1';
    case 'fc':
      return 'FC / s1';
    case 'softmax':
      return 'Softmax / s1';
  }
}

function filterShape(layer: MobileNetLayer): string {
  switch (layer.kind) {
    case 'conv':
      return `${layer.kernel}x${layer.kernel}x${layer.inChannels}x${layer.outChannels}`;
    case 'depthwise':
      return `${layer.kernel}x${layer.kernel}x${layer.channels} dw`;
    case 'avgpool':
      return `Pool ${layer.inputSize}x${layer.inputSize}`;
    case 'fc':
      return `${layer.inFeatures}x${layer.outFeatures}`;
    case 'softmax':
      return 'Classifier';
  }
}

function inputSize(layer: MobileNetLayer): string {
  switch (layer.kind) {
    case 'conv':
      return `${layer.inputSize}x${layer.inputSize}x${layer.inChannels}`;
    case 'depthwise':
    case 'avgpool':
      return `${layer.inputSize}x${layer.inputSize}x${layer.channels}`;
    case 'fc':
      return `1x1x${layer.inFeatures}`;
    case 'softmax':
      return `1x1x${layer.classes}`;
  }
}
