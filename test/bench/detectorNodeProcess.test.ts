import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { cameraImageTopic, detectorNodeArgs } from '../../src/bench/detectorNodeProcess.js';
import { defaultConfig } from '../../src/config/parseConfig.js';
import { inputTopic } from '../../src/config/rosConfig.js';
import { DetectorNode } from '../../src/ros/detectorNode.js';
import { FakeNode, givenParameters, realRclClasses } from '../support/fakeRclnodejs.js';

/** The `-p name:=value` pairs, each value parsed as YAML, as rcl parses them. */
function parameters(args: readonly string[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  args.forEach((arg, i) => {
    if (arg !== '-p') return;
    const rule = args[i + 1] ?? '';
    const at = rule.indexOf(':=');
    out.set(rule.slice(0, at), parse(rule.slice(at + 2)));
  });
  return out;
}

describe('detectorNodeArgs', () => {
  const base = defaultConfig();
  const config = {
    ...base,
    modelsDir: "/opt/it's models",
    detector: { ...base.detector, scoreThreshold: 1, modelForm: 'float' as const },
    inference: { ...base.inference, threads: 3 },
  };
  const launch = {
    nodeName: 'mobilenet_bench',
    namespace: '/mobilenet_bench',
    cameras: ['bag', 'cam0', 'probe'],
    config,
    diagnosticsPeriodS: 0.25,
  };

  it('runs the node under its own name and namespace', () => {
    const args = detectorNodeArgs(launch);
    assert.deepEqual(args.slice(0, 6), [
      'run',
      '--ros-args',
      '-r',
      '__node:=mobilenet_bench',
      '-r',
      '__ns:=/mobilenet_bench',
    ]);
  });

  it("gives the node exactly the settings meant, through the node's own parameter declarations", async () => {
    const values = parameters(detectorNodeArgs(launch));
    // An integral double keeps its decimal point, so that rcl reads a double.
    assert.match(detectorNodeArgs(launch).join(' '), /detector\.score_threshold:=1\.0 /);
    const rcl = await realRclClasses();
    const node = DetectorNode.create({
      node: new FakeNode(rcl, 'mobilenet_bench', '/mobilenet_bench'),
      rcl,
      overrides: givenParameters(values),
    });
    const { app, ros } = node.settings;
    assert.deepEqual(
      ros.cameras.map((c) => [c.name, inputTopic(c)]),
      launch.cameras.map((c) => [c, `${cameraImageTopic(launch.namespace, c)}/compressed`]),
    );
    assert.equal(app.modelsDir, "/opt/it's models");
    assert.equal(app.detector.modelForm, 'float');
    assert.equal(app.detector.scoreThreshold, 1);
    assert.deepEqual(
      {
        ...app.detector,
        modelForm: base.detector.modelForm,
        scoreThreshold: base.detector.scoreThreshold,
      },
      base.detector,
    );
    assert.equal(app.inference.threads, 3);
    assert.equal(app.inference.spinWait, base.inference.spinWait);
    assert.equal(app.faces.enabled, base.faces.enabled);
    assert.equal(ros.outputs.overlay, false);
    assert.equal(ros.outputs.diagnosticsPeriodS, 0.25);
    await node.shutdown();
  });
});
