import type { MobileNetLayer } from './mobilenetLayer.js';

/**
 * The layer types of the paper's Table 2 ("Resource per layer type"). Pooling and softmax have
 * no type: the paper counts neither mult-adds nor parameters for them.
 */
export type LayerType = 'conv1x1' | 'depthwise3x3' | 'conv3x3' | 'fc';

/** Every layer type, in the order of the paper's Table 2. */
export const LAYER_TYPES: readonly LayerType[] = ['conv1x1', 'depthwise3x3', 'conv3x3', 'fc'];

/** The paper's name of each layer type. */
export const LAYER_TYPE_LABELS: Readonly<Record<LayerType, string>> = {
  conv1x1: 'Conv 1x1',
  depthwise3x3: 'Conv DW 3x3',
  conv3x3: 'Conv 3x3',
  fc: 'Fully Connected',
};

/** What one layer costs. */
export interface LayerCost {
  readonly layer: MobileNetLayer;
  /** Table 2 type, or null for pooling and softmax. */
  readonly type: LayerType | null;
  /**
   * Multiply-accumulates per image, as the paper counts them: D_K^2 * M * N * D_F^2 for a
   * convolution, D_K^2 * M * D_F^2 for a depthwise convolution, M * N for the fully connected
   * layer, where D_F is the output side. Pooling, softmax, BatchNorm, biases and ReLU count 0.
   */
  readonly multAdds: number;
  /**
   * Parameters as the paper counts them: convolution kernels and the fully connected weight
   * matrix. No BatchNorm parameters, no biases (this is what reproduces Table 2's shares).
   */
  readonly parameters: number;
  /**
   * Biases a deployed (BatchNorm-folded) graph adds: one per output channel of every convolution
   * (the folded BatchNorm shift) and one per class for the fully connected layer.
   */
  readonly biases: number;
}

/** The cost of one layer; see {@link LayerCost} for what counts. */
export function layerCost(layer: MobileNetLayer): LayerCost {
  switch (layer.kind) {
    case 'conv': {
      const k2 = layer.kernel * layer.kernel;
      return {
        layer,
        type: layer.kernel === 1 ? 'conv1x1' : 'conv3x3',
        multAdds: k2 * layer.inChannels * layer.outChannels * layer.outputSize * layer.outputSize,
        parameters: k2 * layer.inChannels * layer.outChannels,
        biases: layer.outChannels,
      };
    }
    case 'depthwise': {
      const k2 = layer.kernel * layer.kernel;
      return {
        layer,
        type: 'depthwise3x3',
        multAdds: k2 * layer.channels * layer.outputSize * layer.outputSize,
        parameters: k2 * layer.channels,
        biases: layer.channels,
      };
    }
    case 'fc':
      return {
        layer,
        type: 'fc',
        multAdds: layer.inFeatures * layer.outFeatures,
        parameters: layer.inFeatures * layer.outFeatures,
        biases: layer.outFeatures,
      };
    case 'avgpool':
    case 'softmax':
      return { layer, type: null, multAdds: 0, parameters: 0, biases: 0 };
  }
}
