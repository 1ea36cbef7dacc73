/**
 * Parameters on a real graph: `ros2 param set/get` against the running node, and the values the
 * node resolves from params files compared with what rclpy resolves from the same command line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  describeRos,
  graphPerTest,
  PLAY,
  probeScript,
  sampleBags,
  sleep,
} from './support/rosGraph.js';

interface Detections {
  detections: { id: string; results: { hypothesis: { class_id: string; score: number } }[] }[];
}

function scores(messages: Record<string, unknown>[]): number[] {
  return messages.flatMap((m) =>
    (m as unknown as Detections).detections.flatMap((d) =>
      d.results.map((r) => r.hypothesis.score),
    ),
  );
}

describeRos('ros2 param on the node', function () {
  this.timeout(120000);
  const graph = graphPerTest();

  it('a valid `ros2 param set` takes effect on the next frames; invalid ones are refused with the reason and the old value stays', async () => {
    const { cameras } = await sampleBags();
    const node = graph().detector([
      '--ros-args',
      '-p',
      'cameras.image_topic:=/rear_camera/image_raw',
      '-p',
      'cameras.transport:=compressed',
      '-p',
      'faces.enabled:=false',
    ]);
    await node.waitFor(/active: camera <- /, 60000);
    const probe = await graph().subscribe([
      '/detections=vision_msgs/msg/Detection2DArray',
      '/detections/labels=vision_msgs/msg/LabelInfo@reliable,transient_local,1',
    ]);
    await graph().play(cameras, ['--topics', '/rear_camera/image_raw/compressed', ...PLAY]);
    const before = scores(await probe.waitForMessages('/detections', 30, 30000));
    assert.ok(
      before.some((s) => s < 0.7),
      `some detections under 0.7 at the default threshold 0.5: ${before.join(', ')}`,
    );

    const set = graph().ros2(['param', 'set', '/mobilenet_ros', 'detector.score_threshold', '0.7']);
    assert.match(set.out, /Set parameter successful/, set.out);
    assert.match(
      graph().ros2(['param', 'get', '/mobilenet_ros', 'detector.score_threshold']).out,
      /Double value is: 0\.7\b/,
    );
    // The labels are published again with the new threshold.
    await probe.waitForMessages('/detections/labels', 2, 10000);
    assert.equal(
      (probe.messages('/detections/labels').at(-1) as { threshold: number }).threshold,
      0.699999988079071, // float32
    );
    const published = probe.messages('/detections').length;
    await graph().play(cameras, ['--topics', '/rear_camera/image_raw/compressed', ...PLAY]);
    await probe.waitForMessages('/detections', published + 30, 30000);
    // With tracking on (the default), a weaker detection that continues a confirmed track is
    // published too, with its track id (ByteTrack's second stage); every other one is >= 0.7.
    const after = probe
      .messages('/detections')
      .slice(published)
      .flatMap((m) => (m as unknown as Detections).detections);
    const untracked = after
      .filter((d) => d.id === '')
      .flatMap((d) => scores([{ detections: [d] }]));
    assert.ok(after.length > 0, 'detections after the change');
    assert.ok(
      untracked.every((s) => s >= 0.7),
      `every detection without a track id >= 0.7: ${untracked.join(', ')}`,
    );
    assert.ok(
      after.some((d) => (d.results[0]?.hypothesis.score ?? 0) >= 0.7),
      'confident detections still published',
    );

    const refusals: [string[], RegExp][] = [
      [['detector.score_threshold', '1.5'], /must be in \[0, 1\], got 1\.5/],
      [['detector.nms', 'fastest'], /must be one of 'class_agnostic', 'per_class', got "fastest"/],
      [['detector.max_detections', 'many'], /must be an integer, got "many"/],
      // rclnodejs refuses a read-only parameter itself, before the node sees it.
      [['inference.threads', '3'], /Parameter inference.threads is readonly/],
    ];
    for (const [args, reason] of refusals) {
      const refused = graph().ros2(['param', 'set', '/mobilenet_ros', ...args]);
      assert.match(refused.out, /Setting parameter failed/, refused.out);
      assert.match(refused.out, reason, refused.out);
    }
    assert.match(
      graph().ros2(['param', 'get', '/mobilenet_ros', 'detector.score_threshold']).out,
      /Double value is: 0\.7\b/,
      'the old value stays',
    );
    assert.match(
      graph().ros2(['param', 'get', '/mobilenet_ros', 'detector.nms']).out,
      /String value is: class_agnostic/,
    );
    // The declared ranges reach `ros2 param describe` (rclnodejs serializes them only with the
    // message's field names, see describedRange).
    const described = graph().ros2([
      'param',
      'describe',
      '/mobilenet_ros',
      'detector.score_threshold',
      'detector.max_detections',
    ]).out;
    assert.match(
      described,
      /Parameter name: detector\.score_threshold[\s\S]*?Min value: 0\.0\s+Max value: 1\.0/,
      described,
    );
    assert.match(
      described,
      /Parameter name: detector\.max_detections[\s\S]*?Min value: 1\s+Max value: 100\s+Step: 1/,
      described,
    );
    assert.ok(node.running);
  });

  it('resolves --params-file and -p for its remapped name exactly as rclpy does', async () => {
    const { dir } = await sampleBags();
    // Wildcards, the full name, a bare name and a namespace pattern, in an order where the
    // position of each key decides (measured against rclcpp and rclpy on Humble).
    const a = path.join(dir, 'resolve-a.yaml');
    const b = path.join(dir, 'resolve-b.yaml');
    fs.writeFileSync(
      a,
      [
        '/robot1/mobilenet_ros:',
        '  ros__parameters:',
        '    detector: {score_threshold: 0.31, iou_threshold: 0.41}',
        '/**:',
        '  ros__parameters:',
        '    detector: {score_threshold: 0.32, max_detections: 7}',
        '    faces: {enabled: false}',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      b,
      [
        '/**:',
        '  ros__parameters:',
        '    detector: {iou_threshold: 0.42, resize: letterbox}',
        '/robot1/*:',
        '  ros__parameters:',
        '    detector: {resize: stretch}',
        '/**/mobilenet_ros:',
        '  ros__parameters:',
        '    faces: {max_faces: 3}',
        'mobilenet_ros:', // the root namespace only: not for /robot1/mobilenet_ros
        '  ros__parameters:',
        '    faces: {max_faces: 4}',
        '',
      ].join('\n'),
    );
    const rosArgs = [
      '--ros-args',
      '--params-file',
      a,
      '--params-file',
      b,
      '-p',
      'detector.max_detections:=9',
      '-r',
      '__ns:=/robot1',
    ];
    const names = [
      'detector.score_threshold',
      'detector.iou_threshold',
      'detector.max_detections',
      'detector.resize',
      'faces.enabled',
      'faces.max_faces',
    ];
    const rclpy = spawnSync('python3', [probeScript, 'resolve', 'mobilenet_ros', ...rosArgs], {
      env: graph().env,
      encoding: 'utf8',
    });
    assert.equal(rclpy.status, 0, rclpy.stderr);
    const reference = JSON.parse(rclpy.stdout.trim().split('\n').at(-1) ?? '{}') as {
      fqn: string;
      parameters: Record<string, unknown>;
    };
    assert.equal(reference.fqn, '/robot1/mobilenet_ros');

    const node = graph().detector(rosArgs);
    await node.waitFor(/active: camera <- /, 60000);
    await sleep(500);
    for (const name of names) {
      const expected = reference.parameters[name];
      assert.notEqual(expected, undefined, `rclpy resolved ${name}`);
      const got = graph().ros2(['param', 'get', '/robot1/mobilenet_ros', name]).out;
      assert.match(
        got,
        new RegExp(
          `value is: ${String(expected).replace(/^(true|false)$/, (v) => (v === 'true' ? 'True' : 'False'))}\\b`,
        ),
        `${name}: rclpy says ${String(expected)}, the node says ${got}`,
      );
    }
  });
});
