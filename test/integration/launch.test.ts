/**
 * The launch contract on a real graph: what `ros2 launch mobilenet_ros detector.launch.{py,xml}`
 * users type, with `ros2 bag play` as the camera and rclpy as the consumer.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  describeRos,
  graphPerTest,
  PLAY,
  sampleBags,
  sleep,
  type Probe,
} from './support/rosGraph.js';
import { repoRoot } from '../support/paths.js';

/** The sample recording's frames: 30 per camera, 100 ms apart, the compressed one 50 ms later. */
const START_SEC = 1_700_000_000;
function expectedStamps(camera: 'front' | 'rear'): string[] {
  return Array.from({ length: 30 }, (_, i) => {
    const ns = i * 100_000_000 + (camera === 'rear' ? 50_000_000 : 0);
    const sec = START_SEC + Math.floor(ns / 1e9);
    return `${sec}.${String(ns % 1e9).padStart(9, '0')}`;
  });
}

interface Stamped {
  header: { stamp: { sec: number; nanosec: number }; frame_id: string };
}

function stampOf(msg: Record<string, unknown>): string {
  const { sec, nanosec } = (msg as unknown as Stamped).header.stamp;
  return `${sec}.${String(nanosec).padStart(9, '0')}`;
}

function frameIdOf(msg: Record<string, unknown>): string {
  return (msg as unknown as Stamped).header.frame_id;
}

/** Every detection message of a camera, as the sorted stamps of its headers. */
function stampsFrom(probe: Probe, topic: string, frameId: string): string[] {
  return probe
    .messages(topic)
    .filter((m) => frameIdOf(m) === frameId)
    .map(stampOf)
    .sort();
}

describeRos('ros2 launch mobilenet_ros', function () {
  this.timeout(120000);
  const graph = graphPerTest();

  for (const file of ['detector.launch.py', 'detector.launch.xml']) {
    it(`${file}: image_topic, transport and namespace; one detection message per played frame with its header; Ctrl-C stops it cleanly`, async () => {
      const { cameras } = await sampleBags();
      const launch = graph().launch(file, [
        'image_topic:=/rear_camera/image_raw',
        'transport:=compressed',
        'namespace:=robot1',
      ]);
      await launch.waitFor(
        /active: camera <- \/rear_camera\/image_raw\/compressed .*detections -> \/robot1\/detections/,
        60000,
      );
      const probe = await graph().subscribe([
        '/robot1/detections=vision_msgs/msg/Detection2DArray',
        // /rosout is transient local: the node's start-up lines are there for a late reader.
        '/rosout=rcl_interfaces/msg/Log@reliable,transient_local,1000',
      ]);
      await graph().play(cameras, ['--topics', '/rear_camera/image_raw/compressed', ...PLAY]);
      await probe.waitForMessages('/robot1/detections', 30, 30000);
      await sleep(500);
      assert.deepEqual(
        stampsFrom(probe, '/robot1/detections', 'rear_camera_optical_frame'),
        expectedStamps('rear'),
        'one message per frame, each with its frame header',
      );
      const classes = new Set(
        [
          ...JSON.stringify(probe.messages('/robot1/detections')).matchAll(/"class_id":"(\d+)"/g),
        ].map((m) => m[1]),
      );
      assert.ok(
        classes.has('46'),
        `the cup (46 in the model's label map) is found in the coffee frames: ${[...classes].join(', ')}`,
      );
      const rosout = probe.messages('/rosout').map((m) => String(m.msg));
      assert.ok(
        rosout.some((line) => line.startsWith('active:')),
        `the node logs to /rosout: ${rosout.join(' | ')}`,
      );
      assert.ok(
        !launch.lines.some((l) => /Publisher already registered/.test(l)),
        'no duplicate node name warning',
      );

      const stopped = await launch.stop('SIGINT');
      assert.equal(stopped.code, 0, launch.tail());
      assert.ok(stopped.ms < 5000, `stopped in ${stopped.ms.toFixed(0)} ms`);
      assert.ok(
        launch.lines.some((l) => /process has finished cleanly/.test(l)),
        `the node exited 0 under launch\n${launch.tail()}`,
      );
      assert.equal(launch.groupAlive(), false, 'no process left behind');
    });
  }

  for (const file of ['detector.launch.py', 'detector.launch.xml']) {
    it(`${file}: respawn:=true starts a killed node again, which detects again; Ctrl-C still stops it`, async () => {
      const { cameras } = await sampleBags();
      const launch = graph().launch(file, [
        'image_topic:=/rear_camera/image_raw',
        'transport:=compressed',
        'respawn:=true',
      ]);
      const active = /active: camera <- \/rear_camera\/image_raw\/compressed/;
      await launch.waitFor(active, 60000);
      const started = await launch.waitFor(/process started with pid \[\d+\]/);
      const first = Number(/pid \[(\d+)\]/.exec(started)?.[1]);
      // What the kernel does to a process that runs out of memory.
      process.kill(first, 'SIGKILL');
      await launch.waitFor(new RegExp(`process has died \\[pid ${first}`), 10000);
      await launch.waitFor(new RegExp(`process started with pid \\[(?!${first}\\])\\d+\\]`), 20000);
      const deadline = performance.now() + 60000;
      while (launch.lines.filter((l) => active.test(l)).length < 2) {
        assert.ok(performance.now() < deadline, `not active again\n${launch.tail()}`);
        await sleep(200);
      }
      const probe = await graph().subscribe(['/detections=vision_msgs/msg/Detection2DArray']);
      await graph().play(cameras, ['--topics', '/rear_camera/image_raw/compressed', ...PLAY]);
      await probe.waitForMessages('/detections', 30, 30000);

      const stopped = await launch.stop('SIGINT');
      assert.equal(stopped.code, 0, launch.tail());
      assert.equal(launch.groupAlive(), false, 'no process left behind');
      assert.equal(
        launch.lines.filter((l) => /process started with pid/.test(l)).length,
        2,
        `started twice, not again after Ctrl-C\n${launch.tail()}`,
      );
    });
  }

  it('params_file keyed by the full node name, two cameras, inside a namespace', async () => {
    const { cameras, dir } = await sampleBags();
    const params = path.join(dir, 'two-cameras.yaml');
    fs.writeFileSync(
      params,
      [
        '/robot7/mobilenet_ros:', // what rclnodejs alone ignored
        '  ros__parameters:',
        '    cameras:',
        '      names: [front, rear]',
        '      front: {topic: /front_camera/image_raw}',
        '      rear: {topic: /rear_camera/image_raw, transport: compressed}',
        '    faces: {enabled: false}',
        '',
      ].join('\n'),
    );
    const launch = graph().launch('detector.launch.py', [
      `params_file:=${params}`,
      'namespace:=robot7',
    ]);
    await launch.waitFor(/active: front <- \/front_camera\/image_raw .*rear <- /, 60000);
    const probe = await graph().subscribe(['/robot7/detections=vision_msgs/msg/Detection2DArray']);
    await graph().play(cameras, PLAY);
    await probe.waitForMessages('/robot7/detections', 60, 30000);
    await sleep(500);
    assert.deepEqual(
      stampsFrom(probe, '/robot7/detections', 'front_camera_optical_frame'),
      expectedStamps('front'),
    );
    assert.deepEqual(
      stampsFrom(probe, '/robot7/detections', 'rear_camera_optical_frame'),
      expectedStamps('rear'),
    );
  });

  it('the Jetson preset as params_file selects its execution providers (here unavailable: the CPU, saying why)', async () => {
    const launch = graph().launch('detector.launch.py', [
      `params_file:=${path.join(repoRoot, 'config/presets/jetson.yaml')}`,
    ]);
    await launch.waitFor(/active: camera <- /, 90000);
    const text = launch.lines.join('\n');
    // Each model tried TensorRT, then CUDA, and says why it runs on the CPU instead.
    assert.match(
      text,
      /coco_detector \(float\): running on cpu \(4 threads\); tensorrt:0 \(fp16\) unavailable: .*; cuda:0 unavailable: /,
      launch.tail(),
    );
    assert.doesNotMatch(text, /ignored parameter 'inference\./, launch.tail());
  });

  it('use_sim_time with `ros2 bag play --clock`: diagnostics stamped on the bag clock', async () => {
    const { cameras } = await sampleBags();
    const launch = graph().launch('detector.launch.xml', [
      'image_topic:=/front_camera/image_raw',
      'use_sim_time:=true',
    ]);
    await launch.waitFor(/active: camera <- \/front_camera\/image_raw /, 60000);
    const probe = await graph().subscribe([
      '/diagnostics=diagnostic_msgs/msg/DiagnosticArray',
      '/detections=vision_msgs/msg/Detection2DArray',
    ]);
    await graph().play(cameras, ['--clock', '20', '--topics', '/front_camera/image_raw', ...PLAY]);
    await probe.waitForMessages('/detections', 30, 30000);
    const onBagClock = probe
      .messages('/diagnostics')
      .map((m) => (m as unknown as Stamped).header.stamp.sec)
      .filter((sec) => sec >= START_SEC && sec < START_SEC + 10);
    assert.ok(
      onBagClock.length > 0,
      `a diagnostics message stamped with the bag's clock (sec ${START_SEC}...), got ${probe
        .messages('/diagnostics')
        .map((m) => (m as unknown as Stamped).header.stamp.sec)
        .join(', ')}`,
    );
    assert.deepEqual(
      stampsFrom(probe, '/detections', 'front_camera_optical_frame'),
      expectedStamps('front'),
    );
  });

  it('SIGTERM to the installed detector executable: exit 0 within 5 s, nothing left behind', async () => {
    // The executable launch runs (`ros2 run` is a Python wrapper that forwards no signal).
    const node = graph().detector(['--ros-args', '-p', 'faces.enabled:=false']);
    await node.waitFor(/active: camera <- /, 60000);
    const stopped = await node.stop('SIGTERM');
    assert.equal(stopped.code, 0, node.tail());
    assert.ok(stopped.ms < 5000, `stopped in ${stopped.ms.toFixed(0)} ms`);
    assert.equal(node.groupAlive(), false);
  });
});
