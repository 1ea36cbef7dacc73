import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig, loadConfigFile, parseConfig } from '../../src/config/parseConfig.js';
import { ConfigError } from '../../src/errors.js';

const configError = (pattern: RegExp) => (e: unknown) =>
  e instanceof ConfigError && e.code === 'CONFIG_INVALID' && pattern.test(e.message);

describe('parseConfig', () => {
  it('fills every default', () => {
    const config = parseConfig(undefined);
    assert.deepEqual(config.detector, defaultConfig().detector);
    assert.equal(config.detector.scoreThreshold, 0.5);
    assert.equal(config.classifier, undefined);
  });

  it('reads a ROS 2 parameters file, so one file serves ros2 launch and the CLI', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-'));
    try {
      const file = path.join(dir, 'params.yaml');
      fs.writeFileSync(
        file,
        'mobilenet_ros:\n  ros__parameters:\n    models_dir: my-models\n    detector:\n      score_threshold: 0.35\n      nms: per_class\n',
      );
      const config = loadConfigFile(file);
      assert.equal(config.detector.scoreThreshold, 0.35);
      assert.equal(config.detector.nms, 'per_class');
      assert.equal(config.modelsDir, path.join(dir, 'my-models'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the key, the allowed range and the value of a bad setting', () => {
    assert.throws(
      () => parseConfig({ detector: { score_threshold: 1.5 } }, 'my.yaml'),
      configError(/my.yaml: 'detector.score_threshold' must be a number in \[0, 1\], got 1.5/),
    );
    assert.throws(
      () => parseConfig({ detector: { nms: 'greedy' } }),
      configError(/'detector.nms' must be one of 'class_agnostic', 'per_class', got "greedy"/),
    );
    assert.throws(
      () => parseConfig({ inference: { threads: 0 } }),
      configError(/'inference.threads' must be an integer in \[1, 64\], got 0/),
    );
    assert.throws(
      () => parseConfig({ detector: 3 }),
      configError(/'detector' must be a mapping, got 3/),
    );
  });

  it("detector.model_form is 'auto' by default; the prepared forms are accepted, others refused by name", () => {
    assert.equal(parseConfig(undefined).detector.modelForm, 'auto');
    for (const form of ['qdq', 'qdq_s8', 'float', 'auto'])
      assert.equal(parseConfig({ detector: { model_form: form } }).detector.modelForm, form);
    assert.throws(
      () => parseConfig({ detector: { model_form: 'int8' } }),
      configError(
        /'detector.model_form' must be one of 'auto', 'qdq', 'qdq_s8', 'float', got "int8"/,
      ),
    );
  });

  it('refuses a misspelt key instead of ignoring it', () => {
    assert.throws(
      () => parseConfig({ detector: { score_treshold: 0.4 } }),
      configError(/unknown key 'detector.score_treshold'; allowed here: .*score_threshold/),
    );
  });

  it('says what is wrong with an unreadable or invalid file', () => {
    assert.throws(
      () => loadConfigFile('/nonexistent/params.yaml'),
      configError(/cannot read config file \/nonexistent\/params.yaml/),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-'));
    try {
      const file = path.join(dir, 'bad.yaml');
      fs.writeFileSync(file, 'detector: [unclosed\n');
      assert.throws(() => loadConfigFile(file), configError(/bad.yaml is not valid YAML/));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
