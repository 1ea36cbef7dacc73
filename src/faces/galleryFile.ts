import fs from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddingModelId } from './faceModels.js';
import { GalleryError } from './galleryError.js';

/** The `format` string of gallery files. */
export const GALLERY_FORMAT = 'mobilenet-ros/face-gallery';
/** The format version this code reads and writes. */
export const GALLERY_VERSION = 1;

/** One enrolled person. */
export interface GalleryPerson {
  /** Unicode NFC; unique within a gallery. */
  readonly name: string;
  /** L2-normalised embeddings, one per enrolled image. */
  readonly embeddings: readonly Float32Array[];
  /** The images they came from (as given at enrolment). */
  readonly sources: readonly string[];
  /** ISO 8601 time of enrolment. */
  readonly enrolledAt: string;
}

/** The contents of a gallery file. */
export interface GalleryData {
  readonly embeddingModel: EmbeddingModelId;
  readonly people: readonly GalleryPerson[];
}

/**
 * Serialises a gallery as versioned JSON (UTF-8, names as they are):
 * `{format, version, embedding_model: {name, sha256, dimension}, people: [{name, enrolled_at,
 * sources, embeddings: number[][]}]}`.
 */
export function serializeGallery(data: GalleryData): string {
  // Indented for people to read, but each embedding on one line: 512 lines each would drown it.
  const embeddingLines: string[] = [];
  const text = JSON.stringify(
    {
      format: GALLERY_FORMAT,
      version: GALLERY_VERSION,
      embedding_model: data.embeddingModel,
      people: data.people.map((p) => ({
        name: p.name,
        enrolled_at: p.enrolledAt,
        sources: p.sources,
        embeddings: p.embeddings.map(
          (e) => `\u0000${embeddingLines.push(JSON.stringify(Array.from(e))) - 1}`,
        ),
      })),
    },
    null,
    1,
  );
  return (
    text.replace(/"\\u0000(\d+)"/g, (_, i: string) => embeddingLines[Number(i)] ?? '[]') + '\n'
  );
}

/**
 * Parses a gallery file's text and checks it was made with `model`.
 * @throws GalleryError GALLERY_CORRUPT (naming `file` and what is wrong) for text that is not a
 *   gallery of this version; GALLERY_MODEL_MISMATCH when it was made with another embedding model
 *   or dimension.
 */
export function parseGallery(text: string, file: string, model: EmbeddingModelId): GalleryData {
  const corrupt = (what: string, cause?: unknown): GalleryError =>
    new GalleryError(
      'GALLERY_CORRUPT',
      `face gallery ${file} is corrupt: ${what}. Restore it from a backup, or move it away and enrol the people again.`,
      cause === undefined ? undefined : { cause },
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw corrupt(`not JSON (${(error as Error).message})`, error);
  }
  if (!isRecord(raw) || raw.format !== GALLERY_FORMAT)
    throw corrupt(`no "format": "${GALLERY_FORMAT}"`);
  if (raw.version !== GALLERY_VERSION) {
    throw corrupt(
      `format version ${JSON.stringify(raw.version)}, this program reads version ${GALLERY_VERSION}`,
    );
  }
  const m = raw.embedding_model;
  if (
    !isRecord(m) ||
    typeof m.name !== 'string' ||
    typeof m.sha256 !== 'string' ||
    typeof m.dimension !== 'number'
  ) {
    throw corrupt('"embedding_model" must be {name, sha256, dimension}');
  }
  if (m.name !== model.name || m.sha256 !== model.sha256 || m.dimension !== model.dimension) {
    throw new GalleryError(
      'GALLERY_MODEL_MISMATCH',
      `face gallery ${file} was made with embedding model ${m.name} (sha256 ${m.sha256.slice(0, 12)}…, ` +
        `${m.dimension}-d); this program uses ${model.name} (sha256 ${model.sha256.slice(0, 12)}…, ` +
        `${model.dimension}-d). Embeddings of different models cannot be compared: enrol the people again ` +
        'into a new gallery file, or select the model it was made with (faces.embedding: ' +
        `${m.name === 'face_embedding' ? 'mobilefacenet, with faces.embedding_form and faces.match_threshold 0.5' : 'faceapi'}).`,
    );
  }
  if (!Array.isArray(raw.people)) throw corrupt('"people" must be a list');
  const names = new Set<string>();
  const people = raw.people.map((p: unknown, index): GalleryPerson => {
    const where = `people[${index}]`;
    if (!isRecord(p) || typeof p.name !== 'string' || p.name === '')
      throw corrupt(`${where} has no name`);
    if (names.has(p.name.normalize('NFC')))
      throw corrupt(`${where}: the name ${JSON.stringify(p.name)} appears twice`);
    names.add(p.name.normalize('NFC'));
    if (!Array.isArray(p.embeddings) || p.embeddings.length === 0)
      throw corrupt(`${where} (${p.name}) has no embeddings`);
    const personName = p.name;
    const embeddings = p.embeddings.map((e: unknown, j) => {
      if (
        !Array.isArray(e) ||
        e.length !== model.dimension ||
        !e.every((v) => typeof v === 'number' && Number.isFinite(v))
      ) {
        throw corrupt(
          `${where}.embeddings[${j}] (${personName}) must be ${model.dimension} finite numbers`,
        );
      }
      return Float32Array.from(e as number[]);
    });
    const sources = Array.isArray(p.sources)
      ? p.sources.filter((s): s is string => typeof s === 'string')
      : [];
    return {
      name: p.name.normalize('NFC'),
      embeddings,
      sources,
      enrolledAt: typeof p.enrolled_at === 'string' ? p.enrolled_at : '',
    };
  });
  return { embeddingModel: model, people };
}

/**
 * Writes the gallery atomically with mode 0600: a temporary file in the same folder (created
 * with 0600, fsynced), then a rename over the target, so a reader sees the old or the new
 * gallery, never half of one. Creates the folder (0700) if needed.
 * @throws GalleryError GALLERY_WRITE_FAILED naming the file and the system error.
 */
export async function writeGalleryFile(file: string, data: GalleryData): Promise<void> {
  const text = serializeGallery(data);
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`,
  );
  try {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const handle = await fs.open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.chmod(temporary, 0o600);
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw new GalleryError(
      'GALLERY_WRITE_FAILED',
      `cannot write face gallery ${file}: ${(error as Error).message}. Check the folder exists and is writable.`,
      { cause: error },
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
