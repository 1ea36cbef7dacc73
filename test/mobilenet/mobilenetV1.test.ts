import assert from 'node:assert/strict';
import { MIN_CHANNELS, mobilenetV1, scaleChannels } from '../../src/mobilenet/mobilenetV1.js';
import type { MobileNetLayer } from '../../src/mobilenet/mobilenetLayer.js';

/** Table 1 in the paper's own notation: type / stride, filter shape, input size. */
function table1Row(layer: MobileNetLayer): string {
  switch (layer.kind) {
    case 'conv':
      return `Conv / s${layer.stride} ${layer.kernel}x${layer.kernel}x${layer.inChannels}x${layer.outChannels} ${layer.inputSize}x${layer.inputSize}x${layer.inChannels}`;
    case 'depthwise':
      return `Conv dw / s${layer.stride} ${layer.kernel}x${layer.kernel}x${layer.channels} dw ${layer.inputSize}x${layer.inputSize}x${layer.channels}`;
    case 'avgpool':
      return `Avg Pool / s1 Pool ${layer.inputSize}x${layer.inputSize} ${layer.inputSize}x${layer.inputSize}x${layer.channels}`;
    case 'fc':
      return `FC / s1 ${layer.inFeatures}x${layer.outFeatures} 1x1x${layer.inFeatures}`;
    case 'softmax':
      return `Softmax / s1 Classifier 1x1x${layer.classes}`;
  }
}

describe('mobilenetV1', () => {
  it('is Table 1 of the paper at alpha 1, 224 (with block 13 at stride 1)', () => {
    const rows = mobilenetV1().layers.map(table1Row);
    const dw512 = ['Conv dw / s1 3x3x512 dw 14x14x512', 'Conv / s1 1x1x512x512 14x14x512'];
    assert.deepEqual(rows, [
      'Conv / s2 3x3x3x32 224x224x3',
      'Conv dw / s1 3x3x32 dw 112x112x32',
      'Conv / s1 1x1x32x64 112x112x32',
      'Conv dw / s2 3x3x64 dw 112x112x64',
      'Conv / s1 1x1x64x128 56x56x64',
      'Conv dw / s1 3x3x128 dw 56x56x128',
      'Conv / s1 1x1x128x128 56x56x128',
      'Conv dw / s2 3x3x128 dw 56x56x128',
      'Conv / s1 1x1x128x256 28x28x128',
      'Conv dw / s1 3x3x256 dw 28x28x256',
      'Conv / s1 1x1x256x256 28x28x256',
      'Conv dw / s2 3x3x256 dw 28x28x256',
      'Conv / s1 1x1x256x512 14x14x256',
      ...dw512,
      ...dw512,
      ...dw512,
      ...dw512,
      ...dw512,
      'Conv dw / s2 3x3x512 dw 14x14x512',
      'Conv / s1 1x1x512x1024 7x7x512',
      // Table 1 prints "s2" here, but the input and the next layer are both 7x7.
      'Conv dw / s1 3x3x1024 dw 7x7x1024',
      'Conv / s1 1x1x1024x1024 7x7x1024',
      'Avg Pool / s1 Pool 7x7 7x7x1024',
      'FC / s1 1024x1000 1x1x1024',
      'Softmax / s1 Classifier 1x1x1000',
    ]);
  });

  it('has 28 layers counting depthwise and pointwise separately (Section 3.2)', () => {
    const weighted = mobilenetV1().layers.filter(
      (l) => l.kind === 'conv' || l.kind === 'depthwise' || l.kind === 'fc',
    );
    assert.equal(weighted.length, 28);
  });

  it('replaces each separable block with one 3x3 convolution in the standard variant', () => {
    const layers = mobilenetV1({ convolution: 'standard' }).layers;
    assert.equal(layers.filter((l) => l.kind === 'depthwise').length, 0);
    const convs = layers.filter((l) => l.kind === 'conv');
    assert.equal(convs.length, 14);
    assert.ok(convs.every((l) => l.kernel === 3));
    assert.deepEqual(
      convs.map((l) => `${l.inChannels}>${l.outChannels}/s${l.stride}@${l.outputSize}`).slice(0, 3),
      ['3>32/s2@112', '32>64/s1@112', '64>128/s2@56'],
    );
  });

  it('scales every layer by alpha and every feature map by the resolution', () => {
    const a = mobilenetV1({ alpha: 0.25, resolution: 128 });
    const first = a.layers[0];
    assert.equal(first?.kind === 'conv' && first.outChannels, 8);
    const pool = a.layers.find((l) => l.kind === 'avgpool');
    assert.equal(pool?.kind === 'avgpool' && `${pool.channels}@${pool.inputSize}`, '256@4');
    assert.equal(
      mobilenetV1({ resolution: 32 }).layers.find((l) => l.kind === 'avgpool')?.kind,
      'avgpool',
    );
  });

  it('rounds channels down, keeping at least 8 (TF-Slim rule)', () => {
    assert.equal(scaleChannels(32, 0.75), 24);
    assert.equal(scaleChannels(1024, 0.35), 358);
    assert.equal(scaleChannels(160, 0.3), 48); // 0.3 * 160 is 47.99999... in floating point
    assert.equal(scaleChannels(32, 0.1), MIN_CHANNELS);
  });

  it('rejects alpha outside (0, 1] naming the range', () => {
    for (const alpha of [0, -0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => mobilenetV1({ alpha }), {
        name: 'RangeError',
        message: `'alpha' must be in (0, 1], got ${alpha}`,
      });
    }
  });

  it('rejects a resolution that is not a multiple of 32 of at least 32', () => {
    for (const resolution of [0, 16, 100, 224.5, -32, 31]) {
      assert.throws(() => mobilenetV1({ resolution }), {
        name: 'RangeError',
        message: `'resolution' must be a multiple of 32 that is at least 32, got ${resolution}`,
      });
    }
  });

  it('rejects a bad class count', () => {
    assert.throws(() => mobilenetV1({ classes: 0 }), /'classes' must be a positive integer, got 0/);
  });
});
