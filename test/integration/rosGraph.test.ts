/**
 * Tests on a real ROS 2 graph. Skipped unless ROS_DISTRO is set (ROS 2 sourced, rclnodejs built:
 * `npm rebuild rclnodejs`). See test/integration/README.md.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadRclnodejs } from '../../src/ros/loadRclnodejs.js';
import { jpegMessage } from '../ros/rosTestSupport.js';
import { repoRoot } from '../support/paths.js';

const withRos = process.env.ROS_DISTRO !== undefined && process.env.ROS_DISTRO !== '';

(withRos ? describe : describe.skip)('on a real ROS 2 graph (ROS_DISTRO set)', function () {
  this.timeout(120000);
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
  });

  function startNode(args: string[]): ChildProcess {
    const p = spawn(
      process.execPath,
      [path.join(repoRoot, 'dist/src/main.js'), 'run', '--ros-args', ...args],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child = p;
    return p;
  }

  it('publishes /detections with the header of each image, and exits 0 on SIGINT', async () => {
    const rcl = await loadRclnodejs();
    await rcl.init();
    const node = new rcl.Node('mobilenet_ros_integration');
    const received: { sec: number; frame_id: string }[] = [];
    node.createSubscription(
      'vision_msgs/msg/Detection2DArray',
      '/it/detections',
      {},
      (m: unknown) => {
        const msg = m as { header: { stamp: { sec: number }; frame_id: string } };
        received.push({ sec: msg.header.stamp.sec, frame_id: msg.header.frame_id });
      },
    );
    const pub = node.createPublisher('sensor_msgs/msg/CompressedImage', '/it/image/compressed');
    node.spin();
    const p = startNode([
      '-p',
      'cameras.image_topic:=/it/image',
      '-p',
      'cameras.transport:=compressed',
      '-r',
      '__ns:=/it',
    ]);
    const deadline = Date.now() + 60000;
    let sec = 100;
    while (received.length < 3 && Date.now() < deadline) {
      pub.publish(jpegMessage({ stamp: { sec: sec++, nanosec: 0 }, frame_id: 'it_camera' }));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(received.length >= 3, 'detections arrive');
    assert.ok(received.every((r) => r.frame_id === 'it_camera' && r.sec >= 100 && r.sec < sec));
    const code = new Promise<number | null>((resolve) => p.once('exit', resolve));
    p.kill('SIGINT');
    assert.equal(await code, 0);
    node.destroy();
    rcl.shutdown();
  });

  it('`ros2 launch mobilenet_ros detector.launch.py` runs one camera (needs the package built with colcon and sourced)', async () => {
    const launch = spawn(
      'ros2',
      [
        'launch',
        'mobilenet_ros',
        'detector.launch.py',
        'image_topic:=/launch_it/image',
        'namespace:=/launch_it',
      ],
      { stdio: 'inherit' },
    );
    child = launch;
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const topics = await new Promise<string>((resolve) => {
      const list = spawn('ros2', ['topic', 'list']);
      let out = '';
      list.stdout.on('data', (d: Buffer) => (out += d.toString()));
      list.on('exit', () => resolve(out));
    });
    assert.match(topics, /\/launch_it\/detections\n/);
  });
});
