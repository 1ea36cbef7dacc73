import assert from 'node:assert/strict';
import { ALL_SETTINGS } from '../../src/config/settings/allSettings.js';
import { listSettings } from '../../src/config/settings/listSettings.js';
import {
  cameraParameterSpecs,
  isCameraName,
  staticParameterSpecs,
} from '../../src/ros/parameterSpecs.js';

describe('parameterSpecs (ROS parameters from the setting declarations)', () => {
  it('declares every setting that is not config-file only, once, and no other', () => {
    const expected = listSettings(ALL_SETTINGS)
      .filter((e) => !e.templated && e.setting.ros !== false)
      .map((e) => e.path);
    const names = staticParameterSpecs().map((s) => s.name);
    assert.deepEqual(names, expected);
    assert.equal(new Set(names).size, names.length);
    for (const fileOnly of [
      'inference.webgpu.preferred_layout',
      'inference.cpu.threads',
      'classifier.model',
    ])
      assert.ok(!names.includes(fileOnly), fileOnly);
    // A preset given to `ros2 launch` as its params file selects the GPU with these.
    for (const parameter of [
      'inference.provider',
      'inference.tensorrt.fp16',
      'inference.cuda.device_id',
    ])
      assert.ok(names.includes(parameter), parameter);
  });

  it('only thresholds, NMS, resize, lookahead, the detector stage and camera rates change at run time', () => {
    const dynamic = [...staticParameterSpecs(), ...cameraParameterSpecs('front')]
      .filter((s) => s.dynamic)
      .map((s) => s.name)
      .sort();
    assert.deepEqual(dynamic, [
      'cameras.front.max_rate_hz',
      'detector.iou_threshold',
      'detector.max_detections',
      'detector.nms',
      'detector.resize',
      'detector.score_threshold',
      'node.lookahead',
      'node.stages.detector',
    ]);
  });

  it('carries type, default, range and choices of the declaration', () => {
    const specs = new Map(staticParameterSpecs().map((s) => [s.name, s]));
    assert.deepEqual(specs.get('detector.max_detections'), {
      name: 'detector.max_detections',
      kind: 'integer',
      defaultValue: 20,
      description: 'detections per frame',
      range: [1, 100],
      dynamic: true,
    });
    assert.deepEqual(specs.get('detector.model_form')?.choices, ['auto', 'qdq', 'qdq_s8', 'float']);
    assert.equal(specs.get('detector.model_form')?.kind, 'string');
    assert.equal(specs.get('cameras.names')?.kind, 'string_array');
    assert.deepEqual(specs.get('image.max_pixels')?.range, [1, 2 ** 30]);
  });

  it("gives each well-named camera its parameters, the topic's default empty (refused by name)", () => {
    const specs = cameraParameterSpecs('front');
    assert.deepEqual(
      specs.map((s) => s.name),
      [
        'cameras.front.topic',
        'cameras.front.transport',
        'cameras.front.max_rate_hz',
        'cameras.front.qos.reliability',
        'cameras.front.qos.durability',
        'cameras.front.qos.depth',
      ],
    );
    assert.equal(specs[0]?.defaultValue, '');
    assert.deepEqual(['front', 'rear_2', 'Front', '2nd', 'a-b', 3].map(isCameraName), [
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
