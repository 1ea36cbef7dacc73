import { inputTopic, type CameraConfig } from '../config/rosConfig.js';
import { describeSilentTopic } from './qosProfiles.js';
import { toEndpointInfo, type RosLogger, type RosNode } from './rclApi.js';

/**
 * Warns once per camera and activation when its topic has publishers but no frame arrived within
 * node.qos_warning_after_s. The usual cause is a QoS mismatch (a reliable subscription gets
 * nothing from a best-effort publisher), which ROS reports nowhere; the warning names both
 * sides' QoS (describeSilentTopic).
 */
export class SilentTopicWatch {
  private readonly warned = new Set<string>();
  private activatedAt = 0;

  constructor(
    private readonly node: RosNode,
    private readonly logger: RosLogger,
  ) {}

  /** Starts a new activation: its own grace period, every camera may be warned about again. */
  start(nowMs: number): void {
    this.activatedAt = nowMs;
    this.warned.clear();
  }

  /** Checks every camera that has received nothing yet. */
  check(
    nowMs: number,
    cameras: readonly CameraConfig[],
    warnAfterS: number,
    hasReceived: (camera: string) => boolean,
  ): void {
    const silentS = (nowMs - this.activatedAt) / 1000;
    if (silentS < warnAfterS) return;
    for (const camera of cameras) {
      if (this.warned.has(camera.name) || hasReceived(camera.name)) continue;
      const topic = this.node.resolveTopicName(inputTopic(camera));
      const publishers = this.node
        .getPublishersInfoByTopic(topic, false)
        .map(toEndpointInfo)
        .filter((p) => p !== undefined);
      if (publishers.length === 0) continue;
      this.warned.add(camera.name);
      this.logger.warn(describeSilentTopic(topic, silentS, camera.qos, publishers));
    }
  }
}
