import assert from 'node:assert/strict';
import { ConfigError, RosUnavailableError } from '../../src/errors.js';
import type {
  DiagnosticArray,
  Detection2DArray,
  Image,
  ImageAnnotations,
  LabelInfo,
} from '../../src/messages/types.js';
import { MessageTypes, PointsAnnotationType } from '../../src/messages/types.js';
import { rosPreflight } from '../../src/ros/loadRclnodejs.js';
import { DetectorNode } from '../../src/ros/detectorNode.js';
import { WORKER_FAULT_ENV } from '../../src/inference/workerProtocol.js';
import { encodeAgainstDefinition, FakeNode, givenParameters } from '../support/fakeRclnodejs.js';
import {
  harness,
  header,
  jpegMessage,
  rcl,
  rgbMessage,
  waitFor,
  type Harness,
} from './rosTestSupport.js';

const twoCameras = {
  'cameras.names': ['front', 'rear'],
  'cameras.front.topic': '/front/image_raw',
  'cameras.front.transport': 'compressed',
  'cameras.front.qos.reliability': 'reliable',
  'cameras.front.qos.depth': 5n,
  'cameras.rear.topic': '/rear/image_raw',
};

describe('DetectorNode on the rclnodejs double', function () {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.node.shutdown();
    h = undefined;
  });

  async function active(
    overrides: Record<string, unknown> = {},
    namespace = '/',
  ): Promise<Harness> {
    h = await harness(overrides, namespace);
    await h.node.configure();
    h.node.activate();
    return h;
  }

  it('subscribes per camera with its transport and QoS (sensor data by default), serialized bytes (raw)', async () => {
    const { fake } = await active(twoCameras);
    const byTopic = new Map(fake.subscriptions.map((s) => [s.topic, s]));
    assert.deepEqual([...byTopic.keys()].sort(), [
      '/front/image_raw/compressed',
      '/rear/image_raw',
    ]);
    const front = byTopic.get('/front/image_raw/compressed');
    const rear = byTopic.get('/rear/image_raw');
    assert.equal(front?.typeClass, 'sensor_msgs/msg/CompressedImage');
    assert.equal(rear?.typeClass, 'sensor_msgs/msg/Image');
    // rclnodejs's typings declare QoS.reliability() a method; its lib/qos.js has a getter.
    const reliability = (s: typeof front): unknown =>
      (s?.qos as unknown as { reliability: number }).reliability;
    assert.equal(reliability(front), 1, 'reliable as configured');
    assert.equal(front?.qos.depth, 5);
    assert.equal(reliability(rear), 2, 'best effort: sensor data default');
    assert.equal(rear?.qos.durability, 2, 'volatile');
    assert.equal(rear?.qos.depth, 1);
    for (const s of fake.subscriptions) {
      assert.equal(s.typedArrayEnabled, true);
      assert.equal(s.isRaw, true, 'decoded here from CDR, see cameraSubscription.ts');
    }
    const labels = fake.publisher('/detections/labels');
    assert.equal(labels.qos.durability, 1, 'labels are transient local');
    assert.deepEqual(fake.publishers.map((p) => p.topic).sort(), [
      '/detections',
      '/detections/annotations/front',
      '/detections/annotations/rear',
      '/detections/labels',
      '/detections/overlay/front',
      '/detections/overlay/rear',
      '/diagnostics',
      '/faces',
      '/faces/detections',
    ]);
  });

  it('publishes inside the namespace, one camera from cameras.image_topic/transport', async () => {
    const { fake } = await active(
      { 'cameras.image_topic': '/cam/image', 'cameras.transport': 'compressed' },
      '/robot',
    );
    assert.deepEqual(
      fake.subscriptions.map((s) => s.topic),
      ['/cam/image/compressed'],
    );
    assert.ok(fake.publishers.some((p) => p.topic === '/robot/detections'));
    assert.ok(
      fake.publishers.some((p) => p.topic === '/diagnostics'),
      '/diagnostics stays absolute',
    );
  });

  it("gives every detection message its frame's header, and every message survives CDR against the .msg definitions", async () => {
    const { fake } = await active(twoCameras);
    const detections = fake.publisher('/detections');
    fake.deliver('/front/image_raw/compressed', jpegMessage(header(12, 345, 'front_optical')));
    await waitFor(() => detections.published.length === 1, 'the compressed frame');
    fake.deliver('/rear/image_raw', rgbMessage(header(13, 999_999_999, 'rear_optical')));
    await waitFor(() => detections.published.length === 2, 'the raw frame');
    const [a, b] = detections.published.map((p) => p.message as Detection2DArray);
    assert.deepEqual(a?.header, header(12, 345, 'front_optical'));
    assert.deepEqual(b?.header, header(13, 999_999_999, 'rear_optical'));
    for (const m of [a, b]) {
      assert.ok(m !== undefined);
      assert.ok(
        m.detections.some((d) => d.results[0]?.hypothesis.class_id === '46'),
        'the cup is found',
      );
      for (const d of m.detections) assert.deepEqual(d.header, m.header);
    }
    // The face branch publishes per frame too, with the frame's header (coffee: no face).
    const faces = fake
      .publisher('/faces')
      .published.map((p) => p.message as { header: unknown; faces: unknown[] });
    assert.deepEqual(
      faces.map((f) => f.header),
      [header(12, 345, 'front_optical'), header(13, 999_999_999, 'rear_optical')],
    );
    assert.equal(fake.publisher('/faces/detections').published.length, 2);
    const labels = fake
      .publisher('/detections/labels')
      .published.map((p) => p.message as LabelInfo);
    assert.equal(labels.length, 1);
    assert.ok(labels[0]?.class_map.some((c) => c.class_id === 46 && c.class_name === 'cup'));
    assert.ok(Math.abs((labels[0]?.threshold ?? 0) - 0.5) < 1e-9);
    // The double encodes on publish; a malformed message would have thrown there. Check the codec does catch one:
    assert.throws(
      () =>
        encodeAgainstDefinition('vision_msgs/msg/Detection2DArray', {
          header: a?.header,
          detection: [],
        }),
      /detections|detection/,
    );
  });

  it('renders the overlay only while someone subscribes, with the frame header', async () => {
    const { fake } = await active(twoCameras);
    const overlay = fake.publisher('/detections/overlay/front');
    const detections = fake.publisher('/detections');
    fake.deliver('/front/image_raw/compressed', jpegMessage(header(1, 0, 'f')));
    await waitFor(() => detections.published.length === 1, 'frame 1');
    assert.equal(overlay.published.length, 0);
    overlay.subscribers = 1;
    fake.deliver('/front/image_raw/compressed', jpegMessage(header(2, 0, 'f')));
    await waitFor(() => overlay.published.length === 1, 'the overlay');
    const image = overlay.published[0]?.message as Image;
    assert.deepEqual(image.header, header(2, 0, 'f'));
    assert.equal(image.width, 600);
    assert.equal(image.encoding, 'bgr8');
  });

  it('publishes Foxglove ImageAnnotations per camera and frame, stamped like the frame, when foxglove_msgs is there', async () => {
    const { fake } = await active(twoCameras);
    const detections = fake.publisher('/detections');
    const front = fake.publisher('/detections/annotations/front');
    const rear = fake.publisher('/detections/annotations/rear');
    assert.equal(front.typeClass, MessageTypes.ImageAnnotations);
    fake.deliver('/front/image_raw/compressed', jpegMessage(header(12, 345, 'front_optical')));
    await waitFor(() => detections.published.length === 1, 'the front frame');
    fake.deliver('/rear/image_raw', rgbMessage(header(13, 7, 'rear_optical')));
    await waitFor(() => detections.published.length === 2, 'the rear frame');
    assert.equal(front.published.length, 1);
    assert.equal(rear.published.length, 1);
    for (const [publisher, i, stamp] of [
      [front, 0, { sec: 12, nanosec: 345 }],
      [rear, 1, { sec: 13, nanosec: 7 }],
    ] as const) {
      const message = publisher.published[0]?.message as ImageAnnotations;
      const boxes = (detections.published[i]?.message as Detection2DArray).detections;
      assert.ok(boxes.length > 0, 'the cup');
      const loops = message.points.filter((p) => p.type === PointsAnnotationType.lineLoop);
      assert.equal(loops.length, boxes.length, 'coffee: no face, one loop per detection');
      assert.ok(message.texts.some((t) => t.text.startsWith('cup ')));
      for (const p of [...message.points, ...message.texts]) assert.deepEqual(p.timestamp, stamp);
    }
    assert.ok(
      !fake.logger.lines.some((l) => /annotations off/.test(l.message)),
      'nothing to say when they are published',
    );
  });

  it('without foxglove_msgs: says once at info that annotations are off and why, and publishes the rest', async () => {
    h = await harness(twoCameras);
    const { fake, node } = h;
    fake.missingTypes.add(MessageTypes.ImageAnnotations);
    await node.configure();
    node.activate();
    assert.ok(!fake.publishers.some((p) => p.topic.includes('/annotations/')));
    const said = fake.logger.lines.filter((l) => /annotations off/.test(l.message));
    assert.equal(said.length, 1);
    assert.equal(said[0]?.level, 'info');
    assert.match(
      said[0]?.message ?? '',
      /foxglove_msgs\/msg\/ImageAnnotations \(The message required does not exist: foxglove_msgs, msg, ImageAnnotations.*\)\. Install ros-.*-foxglove-msgs/,
    );
    const detections = fake.publisher('/detections');
    fake.deliver('/front/image_raw/compressed', jpegMessage(header(1, 0, 'f')));
    await waitFor(() => detections.published.length === 1, 'a frame');
    // A second activation tries again (the package may have been installed) but says nothing new.
    await node.deactivate();
    node.activate();
    assert.equal(fake.logger.lines.filter((l) => /annotations off/.test(l.message)).length, 1);
  });

  it('with outputs.annotations false: no annotation publishers, nothing said', async () => {
    const { fake } = await active({ ...twoCameras, 'outputs.annotations': false });
    assert.ok(!fake.publishers.some((p) => p.topic.includes('/annotations/')));
    assert.ok(!fake.logger.lines.some((l) => /annotations/.test(l.message)));
  });

  it('validates run-time parameter changes: refuses with a reason and keeps the old value; applies valid ones', async () => {
    const { fake } = await active(twoCameras);
    const labels = fake.publisher('/detections/labels');
    const refusedRange = fake.setParameter('detector.score_threshold', 1.5);
    assert.equal(refusedRange.successful, false);
    // The reason reaches the caller (`ros2 param set` prints it) and the log.
    assert.match(refusedRange.reason, /'detector.score_threshold' must be in \[0, 1\], got 1.5/);
    assert.match(
      fake.logger.lines.map((l) => l.message).join('\n'),
      /'detector.score_threshold' must be in \[0, 1\], got 1.5/,
    );
    const refusedType = fake.setParameter('detector.max_detections', 'many');
    assert.match(refusedType.reason, /'detector.max_detections' must be an integer, got "many"/);
    assert.equal(fake.getParameter('detector.score_threshold').value, 0.5);

    const refusedChoice = fake.setParameter('detector.nms', 'sometimes');
    assert.equal(refusedChoice.successful, false);
    assert.match(
      refusedChoice.reason,
      /'detector.nms' must be one of 'class_agnostic', 'per_class', got "sometimes"/,
    );

    const readOnly = fake.setParameter('inference.threads', 1n);
    assert.equal(readOnly.successful, false);
    assert.match(
      fake.logger.lines.map((l) => l.message).join('\n'),
      /'inference.threads' is read-only while the node runs/,
    );

    const accepted = fake.setParameter('detector.score_threshold', 0.9);
    assert.deepEqual(accepted, { successful: true, reason: '' });
    assert.equal(labels.published.length, 2, 'LabelInfo republished with the new threshold');
    assert.ok(Math.abs((labels.published[1]?.message as LabelInfo).threshold - 0.9) < 1e-6);
    const detections = fake.publisher('/detections');
    fake.deliver('/front/image_raw/compressed', jpegMessage(header(3, 0, 'f')));
    await waitFor(() => detections.published.length === 1, 'a frame after the change');
    for (const d of (detections.published[0]?.message as Detection2DArray).detections) {
      assert.ok((d.results[0]?.hypothesis.score ?? 0) >= 0.9);
    }

    assert.equal(fake.setParameter('node.stages.detector', false).successful, true);
    fake.deliver('/front/image_raw/compressed', jpegMessage(header(4, 0, 'f')));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(detections.published.length, 1, 'nothing published with the detector stage off');
  });

  it("warns about a value given under the node's own name that is no parameter (a typo)", async () => {
    const r = await rcl();
    const fake = new FakeNode(r, 'mobilenet_ros', '/');
    const overrides = new Map([
      ['detector.score_treshold', { type: 'double' as const, value: 0.3, from: '/mobilenet_ros' }],
      ['other_nodes_setting', { type: 'bool' as const, value: true, from: '/**' }],
      ['use_sim_time', { type: 'bool' as const, value: true, from: '/mobilenet_ros' }],
    ]);
    DetectorNode.create({ node: fake, rcl: r, overrides });
    const warnings = fake.logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    assert.deepEqual(warnings.length, 1, warnings.join('\n'));
    assert.match(
      warnings[0] ?? '',
      /ignored parameter 'detector.score_treshold' given for \/mobilenet_ros/,
    );
  });

  it('refuses invalid start-up parameters with a ConfigError naming the parameter', async () => {
    const create = await nodeWithParameters();
    assert.throws(
      () => create({ 'cameras.names': ['front'] }),
      (e: unknown) => e instanceof ConfigError && /'cameras.front.topic'/.test(e.message),
    );
    assert.throws(
      () => create({ 'cameras.names': ['Front'] }),
      (e: unknown) => e instanceof ConfigError && /'cameras.names'/.test(e.message),
    );
    assert.throws(
      () => create({ 'cameras.transport': 'h264' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /parameter 'cameras.transport' \(given for \/\*\*\) must be one of 'raw', 'compressed', got "h264"/.test(
          e.message,
        ),
    );
    // Out of the descriptor's range, or of another type: refused with the parameter named.
    assert.throws(
      () => create({ 'detector.score_threshold': 2.0 }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /'detector.score_threshold' .* must be in \[0, 1\], got 2/.test(e.message),
    );
    assert.throws(
      () => create({ 'inference.threads': 'two' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /'inference.threads' .* must be an integer, got "two" \(string\)/.test(e.message),
    );
    // An integer is accepted where a double is declared (YAML `score_threshold: 1`).
    assert.equal(create({ 'detector.score_threshold': 1 }).settings.app.detector.scoreThreshold, 1);
    assert.throws(
      () => create({ 'inference.provider': ['tensorrt', 'gpu'] }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /parameter 'inference.provider' .* must be a list of one of 'tensorrt', 'cuda', 'webgpu', 'cpu', got \["tensorrt","gpu"\]/.test(
          e.message,
        ),
    );
  });

  it('takes the execution providers from its parameters, as the Jetson preset gives them to ros2 launch', async () => {
    const create = await nodeWithParameters();
    const jetson = create({
      'inference.threads': 4,
      'inference.provider': ['tensorrt', 'cuda', 'cpu'],
      'inference.tensorrt.fp16': false,
      'inference.tensorrt.cache_dir': '/var/cache/mobilenet-ros/tensorrt',
      'inference.cuda.device_id': 1,
    }).settings.app.inference.providers.chain;
    assert.deepEqual(
      jetson.map((p) => p.kind),
      ['tensorrt', 'cuda', 'cpu'],
    );
    assert.deepEqual(jetson[0], {
      kind: 'tensorrt',
      deviceId: 0,
      fp16: false,
      int8: false,
      cacheDir: '/var/cache/mobilenet-ros/tensorrt',
      workspaceBytes: 1 << 30,
    });
    assert.equal(jetson[1]?.kind === 'cuda' && jetson[1].deviceId, 1);
    assert.equal(jetson[2]?.kind === 'cpu' && jetson[2].threads, 4);
    // One name is a list of one, as in a config file.
    const one = create({ 'inference.provider': 'cuda' }).settings.app.inference.providers.chain;
    assert.deepEqual(
      one.map((p) => p.kind),
      ['cuda'],
    );
    // Without the parameter: the CPU, as before.
    assert.deepEqual(
      create({}).settings.app.inference.providers.chain.map((p) => p.kind),
      ['cpu'],
    );
  });

  it('goes through the lifecycle: configure loads, activate subscribes, deactivate stops, cleanup frees', async () => {
    h = await harness(twoCameras);
    const { fake, node } = h;
    assert.equal(node.state, 'unconfigured');
    assert.throws(() => node.activate(), /cannot activate the node in state 'unconfigured'/);
    await node.configure();
    assert.equal(node.state, 'inactive');
    assert.equal(fake.subscriptions.length, 0);
    assert.equal(fake.publishers.length, 0);
    node.activate();
    assert.equal(node.state, 'active');
    assert.equal(fake.subscriptions.length, 2);
    const subs = [...fake.subscriptions];
    const pubs = [...fake.publishers];
    await node.deactivate();
    assert.equal(node.state, 'inactive');
    assert.equal(fake.subscriptions.length, 0);
    assert.equal(fake.publishers.length, 0);
    assert.ok(subs.every((s) => s.destroyed) && pubs.every((p) => p.destroyed));
    await node.cleanup();
    assert.equal(node.state, 'unconfigured');
    await node.configure();
    node.activate();
    assert.equal(fake.subscriptions.length, 2, 'configure/activate again after cleanup');
  });

  it('shuts down with a frame in flight: waits for it, publishes nothing afterwards, destroys everything; idempotent', async () => {
    const { fake, node } = await active(twoCameras);
    const detections = fake.publisher('/detections');
    fake.deliver('/rear/image_raw', rgbMessage(header(5, 0, 'r')));
    await node.shutdown();
    assert.equal(node.state, 'finalized');
    assert.equal(fake.subscriptions.length, 0);
    assert.equal(fake.publishers.length, 0);
    assert.ok(detections.published.length <= 1);
    await node.shutdown();
  });

  it('when the model thread dies: logs it once, reports ERROR in /diagnostics, stops processing; configure again recovers', async () => {
    process.env[WORKER_FAULT_ENV] = 'exit:2'; // the detector thread exits at its 2nd run
    let harnessed: Harness;
    try {
      harnessed = await active(twoCameras);
    } finally {
      delete process.env[WORKER_FAULT_ENV];
    }
    const { fake, tick, node } = harnessed;
    const detections = fake.publisher('/detections');
    const diagnostics = fake.publisher('/diagnostics');
    fake.deliver('/front/image_raw/compressed', jpegMessage(header(1, 0, 'f')));
    await waitFor(() => detections.published.length === 1, 'the first frame');
    fake.deliver('/front/image_raw/compressed', jpegMessage(header(2, 0, 'f')));
    await waitFor(() => diagnostics.published.length === 1, 'the ERROR report');
    // Later frames are dropped, not failed one by one.
    for (let i = 3; i < 6; i++) {
      fake.deliver('/front/image_raw/compressed', jpegMessage(header(i, 0, 'f')));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    tick();
    const errors = fake.logger.lines.filter((l) => l.level === 'error').map((l) => l.message);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(
      errors[0] ?? '',
      /^fatal \[WORKER_DIED\]: the inference thread of .* exited unexpectedly \(exit code 70\).*frames are no longer processed/,
    );
    assert.equal(detections.published.length, 1);
    for (const published of diagnostics.published) {
      const status = (published.message as DiagnosticArray).status;
      const pipeline = status.find((st) => st.name === 'mobilenet_ros: pipeline');
      assert.equal(pipeline?.level, 2, 'ERROR');
      assert.match(pipeline?.message ?? '', /^stopped: the inference thread of .* exited/);
      assert.deepEqual(pipeline?.values, [{ key: 'error_code', value: 'WORKER_DIED' }]);
    }
    // Deactivate, clean up and configure again: new models, processing resumes.
    await node.deactivate();
    await node.cleanup();
    await node.configure();
    node.activate();
    const again = fake.publisher('/detections');
    fake.deliver('/front/image_raw/compressed', jpegMessage(header(7, 0, 'f')));
    await waitFor(() => again.published.length >= 1, 'a frame after reconfiguring');
  });

  it('publishes diagnostics per camera with rates, drops, errors and latency', async () => {
    const { fake, clock, tick } = await active(twoCameras);
    const detections = fake.publisher('/detections');
    // Five frames at once: one or two go into inference, the rest replace each other in the gate.
    for (let i = 0; i < 5; i++)
      fake.deliver('/front/image_raw/compressed', jpegMessage(header(10 + i, 0, 'f')));
    fake.deliver('/rear/image_raw', {
      header: header(20, 0, 'r'),
      height: 2,
      width: 2,
      encoding: 'rgb8',
      is_bigendian: 0,
      step: 6,
      data: new Uint8Array(5),
    });
    await waitFor(() => detections.published.length >= 2, 'the frames that were not dropped');
    await new Promise((resolve) => setTimeout(resolve, 300));
    clock.ms = 1000;
    tick();
    const diagnostics = fake
      .publisher('/diagnostics')
      .published.map((p) => p.message as DiagnosticArray);
    assert.equal(diagnostics.length, 1);
    const [front, rear] = diagnostics[0]?.status ?? [];
    const value = (s: typeof front, key: string): string =>
      s?.values.find((v) => v.key === key)?.value ?? '';
    assert.equal(front?.name, 'mobilenet_ros: front');
    assert.equal(front?.hardware_id, '/front/image_raw/compressed');
    assert.equal(value(front, 'input_rate_hz'), '5.00');
    const published = detections.published.length;
    assert.equal(Number(value(front, 'dropped_frames')), 5 - published);
    assert.ok(Number(value(front, 'dropped_frames')) >= 1);
    assert.equal(front?.level, 1, 'WARN on drops');
    assert.notEqual(value(front, 'latency_p95_ms'), 'n/a');
    assert.equal(rear?.level, 2, 'ERROR on a failed frame');
    assert.equal(value(rear, 'errors'), '1');
    assert.match(rear?.message ?? '', /Image data has 5 bytes/);
    assert.match(
      value(front, 'execution_providers') ?? '',
      /^coco_detector \(qdq\): running on cpu/,
    );
  });

  it('warns once when a camera topic has a publisher but nothing arrives, naming both QoS', async () => {
    const { fake, clock, tick } = await active(twoCameras);
    fake.graphPublishers.set('/front/image_raw/compressed', [
      {
        node_name: 'camera_driver',
        node_namespace: '/',
        topic_type: 'sensor_msgs/msg/CompressedImage',
        qos: { reliability: 2, durability: 2, depth: 1, history: 1 },
      },
    ]);
    clock.ms = 2000;
    tick();
    assert.ok(!fake.logger.lines.some((l) => l.level === 'warn'), 'not before qos_warning_after_s');
    clock.ms = 6000;
    tick();
    clock.ms = 7000;
    tick();
    const warnings = fake.logger.lines.filter((l) => l.level === 'warn');
    assert.equal(warnings.length, 1, 'once');
    assert.match(
      warnings[0]?.message ?? '',
      /no message on \/front\/image_raw\/compressed for 6 s/,
    );
    assert.match(
      warnings[0]?.message ?? '',
      /\/camera_driver .* offers reliability=best_effort.*incompatible.*request reliable/,
    );
  });

  it('without ROS 2 sourced, refuses at once saying how to fix it', () => {
    assert.throws(
      () => rosPreflight({}),
      (e: unknown) =>
        e instanceof RosUnavailableError &&
        e.code === 'ROS_UNAVAILABLE' &&
        /ROS_DISTRO is not set/.test(e.message) &&
        /npm rebuild rclnodejs/.test(e.message),
    );
    assert.throws(
      () => rosPreflight({ ROS_DISTRO: 'humble' }, '/nonexistent/rclnodejs'),
      /native binding was never built/,
    );
  });
});

/** Creates nodes on the double with the given start-up parameters (no models loaded). */
async function nodeWithParameters(): Promise<(overrides: Record<string, unknown>) => DetectorNode> {
  const r = await rcl();
  return (overrides) =>
    DetectorNode.create({
      node: new FakeNode(r, 'n', '/'),
      rcl: r,
      overrides: givenParameters(overrides),
    });
}
