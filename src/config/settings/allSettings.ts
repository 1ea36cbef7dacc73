import { defaultModelsDir } from '../../models/manifest.js';
import { CLASSIFIER_SETTINGS } from '../classifierConfig.js';
import { DETECTOR_SETTINGS } from '../detectorConfig.js';
import { FACES_SETTINGS } from '../facesConfig.js';
import { IMAGE_SETTINGS } from '../imageConfig.js';
import { INFERENCE_SETTINGS } from '../inferenceConfig.js';
import { CAMERAS_SETTINGS } from '../cameraConfig.js';
import { NODE_SETTINGS, OUTPUTS_SETTINGS } from '../rosConfig.js';
import { TRACKING_SETTINGS } from '../trackingConfig.js';
import { computed, setting } from './setting.js';

/**
 * Every setting of a config document, which is also the node's ROS parameters mapping: what
 * `--config` files hold, what the node declares (those not marked file-only), what
 * config/params.yaml and the README's configuration table document.
 */
export const ALL_SETTINGS = {
  // A relative path resolves against the config file's folder.
  models_dir: setting({
    kind: 'string',
    format: 'path',
    default: computed("the package's models/", () => defaultModelsDir),
    description: 'folder with manifest.json and the prepared models',
  }),
  detector: DETECTOR_SETTINGS,
  inference: INFERENCE_SETTINGS,
  image: IMAGE_SETTINGS,
  tracking: TRACKING_SETTINGS,
  faces: FACES_SETTINGS,
  classifier: CLASSIFIER_SETTINGS,
  cameras: CAMERAS_SETTINGS,
  outputs: OUTPUTS_SETTINGS,
  node: NODE_SETTINGS,
} as const;
