/**
 * The managed node driven by `ros2 lifecycle set`, as a system manager (nav2's lifecycle
 * manager, a launch event handler) drives it: each state reported by `ros2 lifecycle get` must
 * match what the node does on the graph.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describeRos, graphPerTest, PLAY, sampleBags, sleep } from './support/rosGraph.js';

const REAR = ['--topics', '/rear_camera/image_raw/compressed'];
/** Quicker, where only "nothing is published" is checked. */
const PLAY_FAST = [...REAR, '--rate', '3', '--delay', '1'];

describeRos('ros2 lifecycle on the managed node', function () {
  this.timeout(150000);
  const graph = graphPerTest();

  function state(): string {
    const got = graph().ros2(['lifecycle', 'get', '/mobilenet_ros', '--no-daemon']);
    return got.out.trim();
  }

  function set(transition: string): string {
    return graph().ros2(['lifecycle', 'set', '/mobilenet_ros', transition, '--no-daemon']).out;
  }

  it('configure, activate, deactivate, cleanup, shutdown: the states match what the node does', async () => {
    const { cameras } = await sampleBags();
    const launch = graph().launch('detector.launch.py', [
      'lifecycle:=true',
      'image_topic:=/rear_camera/image_raw',
      'transport:=compressed',
    ]);
    await launch.waitFor(/waiting for configure/, 60000);
    assert.match(state(), /^unconfigured \[1\]/);
    const probe = await graph().subscribe(['/detections=vision_msgs/msg/Detection2DArray']);

    assert.match(set('configure'), /Transitioning successful/);
    assert.match(state(), /^inactive \[2\]/);
    await launch.waitFor(/configured: (qdq|qdq_s8) model \(detector\.model_form auto\)/, 5000);
    await graph().play(cameras, PLAY_FAST);
    await sleep(500);
    assert.equal(probe.messages('/detections').length, 0, 'inactive: nothing published');

    assert.match(set('activate'), /Transitioning successful/);
    assert.match(state(), /^active \[3\]/);
    await graph().play(cameras, [...REAR, ...PLAY]);
    await probe.waitForMessages('/detections', 30, 30000);

    assert.match(set('deactivate'), /Transitioning successful/);
    assert.match(state(), /^inactive \[2\]/);
    const before = probe.messages('/detections').length;
    await graph().play(cameras, PLAY_FAST);
    await sleep(500);
    assert.equal(probe.messages('/detections').length, before, 'deactivated: nothing published');

    assert.match(set('cleanup'), /Transitioning successful/);
    assert.match(state(), /^unconfigured \[1\]/);
    assert.match(set('configure'), /Transitioning successful/);
    assert.match(set('activate'), /Transitioning successful/);
    await graph().play(cameras, PLAY_FAST);
    await probe.waitForMessages('/detections', before + 1, 10000);

    assert.match(set('shutdown'), /Transitioning successful/);
    assert.match(state(), /^finalized \[4\]/);
    const stopped = await launch.stop('SIGINT');
    assert.equal(stopped.code, 0, launch.tail());
    assert.ok(
      launch.lines.some((l) => /process has finished cleanly/.test(l)),
      launch.tail(),
    );
  });

  it('a configure that cannot load the models fails, stays unconfigured and logs why', async () => {
    const { dir } = await sampleBags();
    const params = path.join(dir, 'no-models.yaml');
    fs.writeFileSync(params, '/**:\n  ros__parameters:\n    models_dir: /nonexistent/models\n');
    const launch = graph().launch('detector.launch.xml', [
      'lifecycle:=true',
      `params_file:=${params}`,
    ]);
    await launch.waitFor(/waiting for configure/, 60000);
    assert.match(set('configure'), /Transitioning failed/);
    assert.match(state(), /^unconfigured \[1\]/);
    await launch.waitFor(/configure failed, staying 'unconfigured': .*\/nonexistent\/models/, 5000);
    assert.match(set('activate'), /Unknown transition|available ones are/, 'not configured');
    assert.ok(launch.running, 'the node waits for a configure that works');
  });

  it('a model thread that dies while active takes the node through ErrorProcessing to unconfigured, and configure starts it again', async () => {
    const { cameras } = await sampleBags();
    // The real worker thread exits at its 5th inference (nothing mocked: see modelSessionWorker.ts).
    const launch = graph().launch(
      'detector.launch.py',
      ['lifecycle:=true', 'image_topic:=/rear_camera/image_raw', 'transport:=compressed'],
      { MOBILENET_ROS_WORKER_FAULT: 'exit:5' },
    );
    await launch.waitFor(/waiting for configure/, 60000);
    const probe = await graph().subscribe([
      '/detections=vision_msgs/msg/Detection2DArray',
      '/diagnostics=diagnostic_msgs/msg/DiagnosticArray',
    ]);
    assert.match(set('configure'), /Transitioning successful/);
    assert.match(set('activate'), /Transitioning successful/);
    await graph().play(cameras, [...REAR, ...PLAY]);
    await launch.waitFor(/WORKER_DIED.*deactivate -> ErrorProcessing -> unconfigured/, 20000);
    assert.match(state(), /^unconfigured \[1\]/);
    const answered = probe.messages('/detections').length;
    assert.equal(answered, 4, 'the frames before the failure were published');
    const statuses = probe
      .messages('/diagnostics')
      .flatMap((m) => (m as { status: { level: number; name: string; message: string }[] }).status);
    assert.ok(
      statuses.some(
        (s) =>
          s.name.endsWith(': pipeline') &&
          s.level === 2 &&
          /inference thread .*(died|exited)/.test(s.message),
      ),
      'ERROR in /diagnostics says what died',
    );

    assert.match(set('configure'), /Transitioning successful/);
    assert.match(set('activate'), /Transitioning successful/);
    await graph().play(cameras, [...REAR, ...PLAY]);
    await probe.waitForMessages('/detections', answered + 4, 30000);
    assert.ok(launch.running, 'the process lives on');
  });
});
