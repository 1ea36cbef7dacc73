import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDetect } from '../../src/cli/detect.js';
import { detectJsonLine } from '../../src/cli/detectJson.js';
import { CropClassifier } from '../../src/classification/cropClassifier.js';
import { parseClassifierConfig, type ClassifierConfig } from '../../src/config/classifierConfig.js';
import { defaultConfig, parseConfig } from '../../src/config/parseConfig.js';
import { ConfigError } from '../../src/errors.js';
import { buildMobilenetOnnx } from '../../src/mobilenet/buildMobilenetOnnx.js';
import { mobilenetV1 } from '../../src/mobilenet/mobilenetV1.js';
import { CLASSIFIER_PREFIX, detection2DArray } from '../../src/publish/detection2DArray.js';
import { fixturesDir, modelsDir } from '../support/paths.js';

/**
 * The crop classifier's shapes and plumbing, with a real (untrained) MobileNetV1 written by our
 * graph builder: its scores mean nothing, but every tensor and message path is the real one.
 */
describe('crop classifier stage', function () {
  this.timeout(60_000);
  let dir: string;
  let config: ClassifierConfig;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'classifier-'));
    const built = buildMobilenetOnnx(mobilenetV1({ alpha: 0.25, resolution: 96, classes: 10 }));
    fs.writeFileSync(path.join(dir, 'mobilenet.onnx'), built.bytes);
    fs.writeFileSync(
      path.join(dir, 'labels.txt'),
      [
        'tabby',
        'tiger cat',
        'Egyptian cat',
        'espresso',
        'cup',
        'astronaut',
        'José',
        'd7',
        'd8',
        'd9',
      ].join('\n'),
    );
    const parsed = parseConfig(
      {
        classifier: {
          model: 'mobilenet.onnx',
          labels: 'labels.txt',
          input_width: 96,
          input_height: 96,
          classes: ['person'],
          top_k: 3,
          softmax: false,
        },
      },
      'test config',
      dir,
    ).classifier;
    assert.ok(parsed);
    config = parsed;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('classifies the crops of the selected classes and reports top-k in detect --json and Detection2D results', async () => {
    const [astronaut, coffee] = await runDetect({
      images: [
        path.join(fixturesDir, 'images/astronaut.jpg'),
        path.join(fixturesDir, 'images/coffee.jpg'),
      ],
      config: { ...defaultConfig(), modelsDir, classifier: config },
    });
    assert.ok(astronaut && coffee);
    const person = astronaut.detections.find((d) => d.label === 'person');
    assert.ok(person?.classification);
    assert.equal(person.classification.length, 3);
    const scores = person.classification.map((c) => c.score);
    assert.deepEqual(
      [...scores].sort((a, b) => b - a),
      scores,
    );
    assert.ok(scores.reduce((a, b) => a + b, 0) <= 1 + 1e-5); // the built model ends in Softmax
    // Only the configured classes are classified.
    assert.ok(
      coffee.detections.length > 0 &&
        coffee.detections.every((d) => d.classification === undefined),
    );

    const json = JSON.parse(detectJsonLine(astronaut)) as {
      detections: { classification?: { label: string; score: number }[] }[];
    };
    assert.equal(json.detections[0]?.classification?.length, 3);
    const message = detection2DArray(astronaut.frame.header, astronaut.detections);
    const results = message.detections[0]?.results.map((r) => r.hypothesis.class_id) ?? [];
    assert.equal(results[0], '0');
    assert.deepEqual(
      results.slice(1),
      person.classification.map((c) => `${CLASSIFIER_PREFIX}${c.label}`),
    );
  });

  it('refuses a model whose input size does not match the config, naming both', async () => {
    await assert.rejects(
      CropClassifier.create({ ...config, inputWidth: 224, inputHeight: 224 }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /input 'input' is \[1, 3, 96, 96\], but the config says \[N, 3, 224, 224\]/.test(e.message),
    );
  });

  it('refuses a labels file whose size does not match the output', async () => {
    const labels = path.join(dir, 'five.txt');
    fs.writeFileSync(labels, 'a\nb\nc\nd\ne\n');
    await assert.rejects(
      CropClassifier.create({ ...config, labels }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /output '.+' is \[1, 10\], but .*five.txt has 5 labels/.test(e.message),
    );
  });

  it('refuses bad classifier settings with the key and the allowed range', () => {
    assert.throws(
      () => parseClassifierConfig({ model: 'm.onnx', labels: 'l.txt', top_k: 0 }, 'cfg', dir),
      (e: unknown) =>
        e instanceof ConfigError &&
        /'classifier.top_k' must be an integer in \[1, 20\], got 0/.test(e.message),
    );
    assert.throws(
      () => parseClassifierConfig({ model: 'm.onnx', labels: 'l.txt', std: [1, 0, 1] }, 'cfg', dir),
      /'classifier.std' must be 3 positive numbers/,
    );
    assert.throws(
      () => parseClassifierConfig({ model: 'm.onnx' }, 'cfg', dir),
      /'classifier.labels' must be a non-empty string/,
    );
  });
});
