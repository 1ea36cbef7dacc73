import type { AppConfig } from '../config/detectorConfig.js';
import { selectedFaceModels } from '../faces/faceModels.js';
import { loadManifest } from '../models/manifest.js';
import type { DoctorCheck } from './doctorCheck.js';

/** The manifest models the config runs, by role: the detector's and the face branch's. */
export function configuredModels(
  config: AppConfig,
): { stage: string; name: string; role: string }[] {
  const models = [{ stage: 'detector', name: 'coco_detector', role: 'qdq' }];
  if (!config.faces.enabled) return models;
  try {
    models.push(...selectedFaceModels(config.faces, loadManifest(config.modelsDir)));
  } catch {
    // An unreadable manifest is reported by the models section.
  }
  return models;
}

/**
 * The licence of every model the config runs, as the manifest states it. A model whose licence
 * is unknown warns: it runs only because the config selected it (models/NOTICE.md).
 */
export function modelLicenceChecks(config: AppConfig): DoctorCheck[] {
  let manifest;
  try {
    manifest = loadManifest(config.modelsDir);
  } catch {
    return []; // the models section already says why
  }
  // One line per model (ULFD is loaded in two forms, one licence).
  const models = configuredModels(config).filter(
    (m, i, all) => all.findIndex((o) => o.name === m.name) === i,
  );
  return models.map((m): DoctorCheck => {
    const licence = manifest.models[m.name]?.licence ?? 'not in the manifest';
    const unknown = /^unknown/i.test(licence);
    return {
      section: 'licences of the selected models',
      status: unknown ? 'warn' : 'ok',
      summary: `${m.stage}: ${m.name}: ${licence}`,
      ...(unknown
        ? {
            fix: 'selected in the config; the defaults all have a stated licence (see models/NOTICE.md)',
          }
        : {}),
    };
  });
}
