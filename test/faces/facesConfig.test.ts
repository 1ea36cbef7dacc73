import assert from 'node:assert/strict';
import path from 'node:path';
import {
  DEFAULT_MATCH_THRESHOLD,
  defaultFacesConfig,
  parseFacesConfig,
} from '../../src/config/facesConfig.js';
import { ConfigError } from '../../src/errors.js';

function assertConfigError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.match(error.message, pattern);
    return true;
  });
}

describe('parseFacesConfig', function () {
  it('fills every default when the mapping is absent or empty', function () {
    assert.deepEqual(parseFacesConfig(undefined, 'cfg.yaml'), defaultFacesConfig());
    assert.deepEqual(parseFacesConfig({}, 'cfg.yaml'), defaultFacesConfig());
    assert.equal(defaultFacesConfig().matchThreshold, DEFAULT_MATCH_THRESHOLD);
  });

  it('reads every key and resolves a relative gallery path against the base folder', function () {
    const config = parseFacesConfig(
      {
        enabled: false,
        region: 'persons',
        score_threshold: 0.8,
        iou_threshold: 0.4,
        max_faces: 5,
        attributes: false,
        gallery: 'people/faces.json',
        match_threshold: 0.55,
        publish_embeddings: false,
        embedding_form: 'float',
        expression: false,
        detector: 'ssd_mobilenetv1',
        landmarks: 'faceplugin',
        embedding: 'mobilefacenet',
        age_gender: 'ssrnet',
      },
      'cfg.yaml',
      '/etc/robot',
    );
    assert.deepEqual(config, {
      enabled: false,
      region: 'persons',
      scoreThreshold: 0.8,
      iouThreshold: 0.4,
      maxFaces: 5,
      attributes: false,
      gallery: path.resolve('/etc/robot', 'people/faces.json'),
      matchThreshold: 0.55,
      publishEmbeddings: false,
      embeddingForm: 'float',
      expression: false,
      detector: 'ssd_mobilenetv1',
      landmarks: 'faceplugin',
      embedding: 'mobilefacenet',
      ageGender: 'ssrnet',
    });
  });

  it('names the key, the rule and the value in every error', function () {
    assertConfigError(
      () => parseFacesConfig([], 'cfg.yaml'),
      /cfg\.yaml: 'faces' must be a mapping/,
    );
    assertConfigError(
      () => parseFacesConfig({ treshold: 1 }, 'cfg.yaml'),
      /cfg\.yaml: unknown key 'faces\.treshold'; allowed here: enabled, region/,
    );
    assertConfigError(
      () => parseFacesConfig({ score_threshold: 1.5 }, 'cfg.yaml'),
      /'faces\.score_threshold' must be a number in \[0, 1\], got 1\.5/,
    );
    assertConfigError(
      () => parseFacesConfig({ max_faces: 2.5 }, 'c'),
      /'faces\.max_faces' must be an integer in \[1, 64\], got 2\.5/,
    );
    assertConfigError(
      () => parseFacesConfig({ region: 'body' }, 'c'),
      /'faces\.region' must be one of 'frame', 'persons', got "body"/,
    );
    assertConfigError(
      () => parseFacesConfig({ enabled: 'yes' }, 'c'),
      /'faces\.enabled' must be true or false, got "yes"/,
    );
    assertConfigError(
      () => parseFacesConfig({ gallery: '' }, 'c'),
      /'faces\.gallery' must be a non-empty string/,
    );
    assertConfigError(
      () => parseFacesConfig({ match_threshold: -2 }, 'c'),
      /'faces\.match_threshold' must be a number in \[-1, 1\]/,
    );
    assertConfigError(
      () => parseFacesConfig({ embedding_form: 'fp16' }, 'c'),
      /'faces\.embedding_form' must be one of 'int8', 'float', got "fp16"/,
    );
  });
});
