import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Repository root, found from this compiled file (dist/test/support/paths.js). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The team's shared data folder, laid beside the checkout (../shared). */
export const sharedDir = path.resolve(repoRoot, '../shared');

/** Small real artefacts committed with the tests. */
export const fixturesDir = path.join(repoRoot, 'test/fixtures');

/** Where `models prepare` writes the prepared models. */
export const modelsDir = path.join(repoRoot, 'models');
