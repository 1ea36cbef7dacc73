/**
 * Every output topic as another client library (rclpy) receives it, and what the node does with
 * bad input and incompatible publishers, on a real graph.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fixturesDir } from '../support/paths.js';
import { describeRos, graphPerTest, PLAY, sampleBags, sleep } from './support/rosGraph.js';

interface Header {
  stamp: { sec: number; nanosec: number };
  frame_id: string;
}
interface DiagnosticStatus {
  level: number;
  name: string;
  message: string;
  hardware_id: string;
  values: { key: string; value: string }[];
}

function value(status: DiagnosticStatus, key: string): string | undefined {
  return status.values.find((v) => v.key === key)?.value;
}

function statuses(messages: Record<string, unknown>[]): DiagnosticStatus[] {
  return messages.flatMap((m) => (m as unknown as { status: DiagnosticStatus[] }).status);
}

describeRos('the node’s topics', function () {
  this.timeout(120000);
  const graph = graphPerTest();

  it('labels for a late subscriber; /faces, /faces/detections, the overlay and /diagnostics as rclpy receives them', async () => {
    const { cameras } = await sampleBags();
    const node = graph().detector([
      '--ros-args',
      '-p',
      'cameras.image_topic:=/front_camera/image_raw',
      '-p',
      'faces.expression:=true',
    ]);
    await node.waitFor(/active: camera <- \/front_camera\/image_raw /, 60000);
    await sleep(1000); // the labels were published at activation, before anyone listened
    const probe = await graph().subscribe([
      '/detections/labels=vision_msgs/msg/LabelInfo@reliable,transient_local,1',
      '/faces=mobilenet_ros/msg/FaceArray',
      '/faces/detections=vision_msgs/msg/Detection2DArray',
      '/detections/overlay/camera=sensor_msgs/msg/Image',
      '/diagnostics=diagnostic_msgs/msg/DiagnosticArray',
    ]);
    const [labels] = await probe.waitForMessages('/detections/labels', 1, 10000);
    const classMap = (labels as { class_map: { class_id: number; class_name: string }[] })
      .class_map;
    assert.deepEqual(classMap[0], { class_id: 0, class_name: 'person' });
    assert.equal((labels as { threshold: number }).threshold, 0.5);

    await graph().play(cameras, ['--topics', '/front_camera/image_raw', ...PLAY]);
    const faces = await probe.waitForMessages('/faces', 30, 30000);
    const withFace = faces.filter((m) => (m as { faces: unknown[] }).faces.length > 0);
    assert.ok(withFace.length >= 20, `the astronaut's face in most frames: ${withFace.length}/30`);
    const face = (withFace[0] as { faces: Record<string, unknown>[] }).faces[0] ?? {};
    assert.equal((face.embedding as { len: number }).len, 128, "face-api's 128-d embedding");
    // Face.msg's appended fields arrive through rosidl: the astronaut smiles.
    assert.equal(face.expression, 'happy');
    assert.ok((face.expression_score as number) > 0.5);
    const expressions = face.expressions as { class_id: string; score: number }[];
    assert.deepEqual(
      expressions.map((e) => e.class_id),
      ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'],
    );
    assert.ok((face.score as number) > 0.7);
    assert.equal((face.landmarks as unknown[]).length, 5);
    assert.equal((face.header as Header).frame_id, 'front_camera_optical_frame');
    assert.equal(
      (await probe.waitForMessages('/faces/detections', 30, 10000)).length,
      30,
      'the faces as Detection2DArray, one per frame',
    );

    const overlays = await probe.waitForMessages('/detections/overlay/camera', 25, 10000);
    const overlay = overlays[0] as {
      header: Header;
      width: number;
      height: number;
      encoding: string;
    };
    assert.deepEqual([overlay.width, overlay.height, overlay.encoding], [640, 480, 'bgr8']);
    assert.equal(overlay.header.frame_id, 'front_camera_optical_frame', 'drawn on its own frame');

    await sleep(1500); // one more diagnostics period
    const diagnostics = statuses(probe.messages('/diagnostics')).filter(
      (s) => s.name === 'mobilenet_ros: camera',
    );
    assert.ok(diagnostics.length > 0);
    assert.ok(diagnostics.every((s) => s.hardware_id === '/front_camera/image_raw'));
    const busy = diagnostics.filter((s) => Number(value(s, 'output_rate_hz')) > 0);
    assert.ok(busy.length > 0, 'a period with frames published');
    assert.ok(busy.every((s) => Number(value(s, 'latency_p95_ms')) > 0));
    assert.match(value(busy[0] as DiagnosticStatus, 'execution_providers') ?? '', /cpu/);
  });

  it('hostile messages published live are counted with their reason; the good frames are still served', async () => {
    const node = graph().detector([
      '--ros-args',
      '-p',
      'cameras.names:=[raw, jpeg]',
      '-p',
      'cameras.raw.topic:=/hostile/raw',
      '-p',
      'cameras.jpeg.topic:=/hostile/jpeg',
      '-p',
      'cameras.jpeg.transport:=compressed',
      '-p',
      'faces.enabled:=false',
    ]);
    await node.waitFor(
      /active: raw <- \/hostile\/raw .*jpeg <- \/hostile\/jpeg\/compressed/,
      60000,
    );
    const probe = await graph().subscribe([
      '/detections=vision_msgs/msg/Detection2DArray',
      '/diagnostics=diagnostic_msgs/msg/DiagnosticArray',
    ]);
    const header = (sec: number, frame: string): Header => ({
      stamp: { sec, nanosec: 0 },
      frame_id: frame,
    });
    const grey = '80'.repeat(64 * 48 * 3);
    await graph().publish('/hostile/raw=sensor_msgs/msg/Image', {
      period_s: 0.3,
      messages: [
        {
          header: header(1, 'raw'),
          height: 48,
          width: 64,
          encoding: 'rgb8',
          step: 192,
          data_hex: grey,
        },
        {
          header: header(2, 'raw'),
          height: 48,
          width: 64,
          encoding: 'rgb8',
          step: 100,
          data_hex: grey,
        },
        {
          header: header(3, 'raw'),
          height: 48,
          width: 64,
          encoding: 'yuv_unknown',
          step: 192,
          data_hex: grey,
        },
        {
          header: header(4, 'raw'),
          height: 48,
          width: 64,
          encoding: 'rgb8',
          step: 192,
          data_hex: '00',
        },
        {
          header: header(5, 'raw'),
          height: 48,
          width: 64,
          encoding: 'rgb8',
          step: 192,
          data_hex: grey,
        },
      ],
    });
    const jpeg = fs.readFileSync(path.join(fixturesDir, 'images/coffee.jpg'));
    await graph().publish('/hostile/jpeg/compressed=sensor_msgs/msg/CompressedImage', {
      period_s: 0.3,
      messages: [
        { header: header(11, 'jpeg'), format: 'jpeg', data_hex: jpeg.toString('hex') },
        {
          header: header(12, 'jpeg'),
          format: 'jpeg',
          data_hex: jpeg.subarray(0, 300).toString('hex'),
        },
        { header: header(13, 'jpeg'), format: 'jpeg', data_hex: 'ffd8ffe000104a46494600' },
        {
          header: header(14, 'jpeg'),
          format: 'png',
          data_hex: jpeg.subarray(0, 64).toString('hex'),
        },
        { header: header(15, 'jpeg'), format: 'jpeg', data_hex: jpeg.toString('hex') },
      ],
    });
    await sleep(2500); // the next diagnostics periods
    const answered = probe
      .messages('/detections')
      .map((m) => (m as unknown as { header: Header }).header)
      .map((h) => `${h.frame_id}@${h.stamp.sec}`)
      .sort();
    assert.deepEqual(
      answered,
      ['jpeg@11', 'jpeg@15', 'raw@1', 'raw@5'],
      'every good frame, no bad one',
    );

    const latest = (camera: string): DiagnosticStatus | undefined =>
      statuses(probe.messages('/diagnostics'))
        .filter((s) => s.name === `mobilenet_ros: ${camera}`)
        .at(-1);
    assert.equal(value(latest('raw') as DiagnosticStatus, 'errors_total'), '3');
    assert.equal(value(latest('jpeg') as DiagnosticStatus, 'errors_total'), '3');
    const reasons = statuses(probe.messages('/diagnostics'))
      .filter((s) => s.level === 2) // ERROR
      .map((s) => s.message)
      .join('\n');
    assert.match(reasons, /frame\(s\) failed: .*(step|encoding|bytes)/i);
    assert.ok(node.running, 'the node is still serving');
    const warned = node.lines.filter((l) => /WARN.*camera (raw|jpeg): frame .* failed/.test(l));
    assert.ok(warned.length > 0, `the failures are logged\n${node.tail()}`);
  });

  it('warns when a camera topic has a publisher with incompatible QoS and nothing arrives', async () => {
    const node = graph().detector([
      '--ros-args',
      '-p',
      'cameras.names:=[cam]',
      '-p',
      'cameras.cam.topic:=/qos/image',
      '-p',
      'cameras.cam.qos.reliability:=reliable',
      '-p',
      'node.qos_warning_after_s:=1.0',
      '-p',
      'faces.enabled:=false',
    ]);
    await node.waitFor(/active: cam <- \/qos\/image \(reliable/, 60000);
    const publishing = graph().publish('/qos/image=sensor_msgs/msg/Image@best_effort,volatile,1', {
      wait_subscribers: 0,
      period_s: 0.2,
      messages: Array.from({ length: 20 }, (_, i) => ({
        header: { stamp: { sec: i, nanosec: 0 }, frame_id: 'cam' },
        height: 2,
        width: 2,
        encoding: 'rgb8',
        step: 6,
        data_hex: '00'.repeat(12),
      })),
    });
    const warning = await node.waitFor(/nothing arrived|no message/i, 20000);
    await publishing;
    assert.match(
      node.lines.slice(node.lines.indexOf(warning)).join('\n'),
      /offers best_effort but we request reliable/,
      node.tail(),
    );
  });
});
