import assert from 'node:assert/strict';
import { TfjsWeights } from '../../src/models/tfjs/tfjsWeights.js';
import { faceApiWeightMap, faceApiWeights } from './faceApiOracle.js';

const MODELS = [
  'ssd_mobilenetv1',
  'face_recognition',
  'face_landmark_68',
  'face_expression',
  'age_gender',
] as const;

describe('TF.js weight manifests (face-api 1.7.15)', function () {
  this.timeout(120_000);

  for (const model of MODELS) {
    it(`${model}: our reader gives TF.js's own values for every tensor`, async () => {
      const ours = await faceApiWeights(model);
      const theirs = await faceApiWeightMap(model);
      assert.deepEqual(ours.names().sort(), Object.keys(theirs).sort());
      for (const name of ours.names()) {
        const reference = theirs[name] as any;
        const tensor = ours.tensor(name);
        assert.deepEqual(tensor.shape, reference.shape, name);
        assert.deepEqual(tensor.data, reference.dataSync() as Float32Array | Int32Array, name);
      }
    });
  }

  it('says which tensor is wrong when a shape or a name does not match', async () => {
    const weights = await faceApiWeights('face_expression');
    assert.throws(
      () => weights.get('dense0/conv0/filters', [3, 3, 3, 64]),
      /shape \[3,3,3,32\].*expects \[3,3,3,64\]/,
    );
    assert.throws(() => weights.get('no/such/tensor'), /no tensor 'no\/such\/tensor'/);
  });

  it('refuses shards shorter or longer than the manifest says', () => {
    const manifest = JSON.stringify([
      { paths: ['a.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] },
    ]);
    assert.throws(
      () => TfjsWeights.parse(manifest, () => Buffer.alloc(4), 't'),
      /runs past the end/,
    );
    assert.throws(
      () => TfjsWeights.parse(manifest, () => Buffer.alloc(12), 't'),
      /describes 8 bytes.*hold 12/,
    );
    assert.throws(() => TfjsWeights.parse('{', () => Buffer.alloc(0), 't'), /not JSON/);
    const ok = TfjsWeights.parse(manifest, () => Buffer.from(Float32Array.of(1.5, -2).buffer), 't');
    assert.deepEqual(Array.from(ok.get('w').data), [1.5, -2]);
  });
});
