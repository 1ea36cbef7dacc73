import type { ConfigReader } from './configReader.js';
import { qosSettings, SENSOR_DATA_QOS } from './qosConfig.js';
import { defaultSettings, readSettings } from './settings/readSettings.js';
import { each, setting } from './settings/setting.js';
import type { SettingValues } from './settings/settingValues.js';

/** How a camera's images arrive: `raw` sensor_msgs/Image, or `compressed` at `<topic>/compressed`. */
export const TRANSPORTS = ['raw', 'compressed'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** The settings of one camera, `cameras.<name>.*`. */
const CAMERA_SETTINGS = {
  // For `compressed`, the base topic: `/compressed` is appended.
  topic: setting({
    kind: 'string',
    format: 'topic',
    required: true,
    description: 'image topic of this camera (required)',
  }),
  transport: setting({
    kind: 'choice',
    choices: TRANSPORTS,
    default: 'raw',
    description: "'raw' or 'compressed' (subscribes to <topic>/compressed)",
  }),
  max_rate_hz: setting({
    kind: 'double',
    range: [0, 1000],
    default: 0,
    dynamic: true,
    description: 'frames per second taken from this camera; 0 = all',
  }),
  // Sensor data by default: a reliable subscription gets nothing from a best-effort driver.
  qos: qosSettings(SENSOR_DATA_QOS, "this camera's subscription"),
} as const;

/** The single camera's name when `cameras.names` is empty. */
export const DEFAULT_CAMERA_NAME = 'camera';

/** The `cameras:` settings: the camera list, the single camera's topic, each named camera. */
export const CAMERAS_SETTINGS = {
  names: setting({
    kind: 'string_array',
    default: [],
    description:
      "camera names, each configured under cameras.<name>.*; empty: one camera 'camera' from cameras.image_topic/transport",
  }),
  image_topic: setting({
    kind: 'string',
    format: 'topic',
    default: '/camera/image_raw',
    description: 'image topic of the single camera used when cameras.names is empty',
  }),
  transport: setting({
    kind: 'choice',
    choices: TRANSPORTS,
    default: 'raw',
    description:
      "'raw' (sensor_msgs/Image) or 'compressed' (<image_topic>/compressed) for that camera",
  }),
  '<name>': each(CAMERA_SETTINGS),
} as const;

/** One camera input. */
export type CameraConfig = SettingValues<typeof CAMERA_SETTINGS> & {
  /** Used in diagnostics and overlay topics: `[a-z][a-z0-9_]*`. */
  readonly name: string;
};

/**
 * The cameras of the `cameras:` mapping: the named ones (`names` and `<name>:` each), or the
 * single one (`image_topic`, `transport`).
 * @throws ConfigError naming the key by its path, the rule and the value found.
 */
export function parseCameras(cams: ConfigReader): CameraConfig[] {
  const section = readSettings(cams, CAMERAS_SETTINGS);
  const sectionKeys = Object.keys(CAMERAS_SETTINGS).filter((k) => k !== '<name>');
  cams.only([...sectionKeys, ...section.names]);
  const cameraName = CAMERAS_SETTINGS['<name>'].name;
  const seen = new Set<string>();
  for (const name of section.names) {
    if (!cameraName.test(name) || sectionKeys.includes(name)) {
      throw cams.error(
        'names',
        `must hold camera names matching ${cameraName.source} (not ${sectionKeys.join(', ')})`,
        name,
      );
    }
    if (seen.has(name)) throw cams.error('names', 'must not repeat a camera name', name);
    seen.add(name);
  }
  // The single camera: cameras.image_topic and transport, a named camera's defaults otherwise.
  const { max_rate_hz, qos } = CAMERA_SETTINGS;
  const cameras: CameraConfig[] =
    section.names.length === 0
      ? [
          {
            name: DEFAULT_CAMERA_NAME,
            topic: section.imageTopic,
            transport: section.transport,
            ...defaultSettings({ max_rate_hz, qos }),
          },
        ]
      : section.names.map((name) => {
          const cam = cams.child(name);
          if (cam.raw('topic') === undefined)
            throw cam.error('topic', 'is required for each camera in cameras.names', undefined);
          return { name, ...readSettings(cam, CAMERA_SETTINGS) };
        });
  const seenTopics = new Map<string, string>();
  for (const camera of cameras) {
    const topic = inputTopic(camera);
    const other = seenTopics.get(topic);
    if (other !== undefined)
      throw cams.error(
        `${camera.name}.topic`,
        `subscribes to ${topic}, as camera '${other}' does`,
        camera.topic,
      );
    seenTopics.set(topic, camera.name);
  }
  return cameras;
}

/** The topic a camera subscribes to: `<topic>/compressed` for the compressed transport (image_transport's convention). */
export function inputTopic(camera: Pick<CameraConfig, 'topic' | 'transport'>): string {
  return camera.transport === 'compressed'
    ? `${camera.topic.replace(/\/+$/, '')}/compressed`
    : camera.topic;
}
