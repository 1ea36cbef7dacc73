/**
 * Shared helpers of the face tests: one FaceStage per test file, the fixture photos and the
 * face-api sample photos (fetched from their pinned npm tarball into models/.cache, never
 * copied into the repository).
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultFacesConfig, type FacesConfig } from '../../src/config/facesConfig.js';
import { FaceStage } from '../../src/faces/faceStage.js';
import { FaceGallery } from '../../src/faces/gallery.js';
import { embeddingModelId } from '../../src/faces/faceModels.js';
import { decodeEncodedImage } from '../../src/image/decodeEncodedImage.js';
import { FrameImage } from '../../src/image/frameImage.js';
import { readImageFile } from '../../src/image/readImageFile.js';
import { fetchTarball, readTarEntry, type PinnedTarball } from '../../src/models/npmTarball.js';
import { fixturesDir, modelsDir, repoRoot } from '../support/paths.js';

/** npm `@vladmandic/face-api@1.7.15` (MIT): demo/sample1-6.jpg hold 22 faces. */
export const FACE_API_TARBALL: PinnedTarball = {
  package: '@vladmandic/face-api',
  version: '1.7.15',
  integrity:
    'sha512-WDMmK3CfNLo8jylWqMoQgf4nIst3M0fzx1dnac96wv/dvMTN4DxC/Pq1DGtduDk1lktCamQ3MIDXFnvrdHTXDw==',
};

/** Faces per face-api sample photo, counted by eye (all 22 are women). */
export const FACE_API_FACE_COUNTS: Readonly<Record<number, number>> = {
  1: 3,
  2: 3,
  3: 3,
  4: 4,
  5: 5,
  6: 4,
};

const sampleCache = new Map<number, Buffer>();

/** The encoded bytes of demo/sample<n>.jpg from the pinned face-api tarball. */
export async function faceApiSample(n: number): Promise<Buffer> {
  const cached = sampleCache.get(n);
  if (cached !== undefined) return cached;
  const tarball = await fetchTarball(FACE_API_TARBALL, path.join(modelsDir, '.cache'));
  const bytes = await readTarEntry(tarball, `package/demo/sample${n}.jpg`);
  sampleCache.set(n, bytes);
  return bytes;
}

/** A decoded face-api sample (the caller closes it). */
export async function faceApiImage(n: number): Promise<FrameImage> {
  return new FrameImage(decodeEncodedImage(await faceApiSample(n), `face-api sample${n}.jpg`));
}

/** Path of a fixture photo. */
export function photoPath(name: string): string {
  return path.join(fixturesDir, 'images', name);
}

/** A fixture photo as a FrameImage (the caller closes it). */
export function photo(name: string): FrameImage {
  return new FrameImage(readImageFile(photoPath(name)));
}

/** The hand-annotated face boxes of test/faces/faceBoxes.json. */
export const faceBoxes = (
  JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/faces/faceBoxes.json'), 'utf8')) as {
    images: Record<string, [number, number, number, number][]>;
  }
).images;

/** A face stage on the prepared models with an empty in-memory gallery; 2 threads per model. */
export async function createTestStage(config: Partial<FacesConfig> = {}): Promise<FaceStage> {
  const full: FacesConfig = { ...defaultFacesConfig(), region: 'frame', ...config };
  return FaceStage.create({
    modelsDir,
    config: full,
    threads: 2,
    gallery: FaceGallery.empty('/nonexistent/gallery.json', embeddingModelId(modelsDir, full)),
  });
}
