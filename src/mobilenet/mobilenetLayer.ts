/**
 * One row of the MobileNetV1 body (Table 1 of Howard et al. 2017, "MobileNets: Efficient
 * Convolutional Neural Networks for Mobile Vision Applications"), with its shapes resolved for
 * a given width multiplier and input resolution. Feature maps are square; sizes are their side.
 */
export type MobileNetLayer =
  ConvolutionLayer | DepthwiseLayer | AveragePoolLayer | FullyConnectedLayer | SoftmaxLayer;

interface LayerBase {
  /** Unique, stable name, e.g. `conv0`, `block3_dw`, `block3_pw`, `fc`. Used for ONNX names. */
  readonly name: string;
  /**
   * Which depthwise separable block the layer belongs to: 1..13, or 0 for the layers around
   * them (the first convolution, pooling, classifier).
   */
  readonly block: number;
}

/** A full convolution: the first layer, a pointwise (1x1) layer, or a layer of the standard-convolution variant. */
export interface ConvolutionLayer extends LayerBase {
  readonly kind: 'conv';
  /** Kernel side D_K: 3 or 1. */
  readonly kernel: number;
  readonly stride: 1 | 2;
  /** Input channels M. */
  readonly inChannels: number;
  /** Output channels N. */
  readonly outChannels: number;
  /** Side of the input feature map. */
  readonly inputSize: number;
  /** Side of the output feature map D_F: ceil(inputSize / stride) ("same" padding). */
  readonly outputSize: number;
}

/** A depthwise convolution: one D_K x D_K filter per channel. */
export interface DepthwiseLayer extends LayerBase {
  readonly kind: 'depthwise';
  readonly kernel: number;
  readonly stride: 1 | 2;
  readonly channels: number;
  readonly inputSize: number;
  readonly outputSize: number;
}

/** Global average pooling over the last feature map (Table 1: "Avg Pool 7x7" at 224). */
export interface AveragePoolLayer extends LayerBase {
  readonly kind: 'avgpool';
  readonly channels: number;
  /** Side of the pooled feature map (7 at 224). */
  readonly inputSize: number;
}

/** The fully connected classifier, with a bias. */
export interface FullyConnectedLayer extends LayerBase {
  readonly kind: 'fc';
  readonly inFeatures: number;
  readonly outFeatures: number;
}

/** The final softmax over the classes. */
export interface SoftmaxLayer extends LayerBase {
  readonly kind: 'softmax';
  readonly classes: number;
}
