import fs from 'node:fs/promises';
import { cosineSimilarity } from './embeddingMath.js';
import type { EmbeddingModelId } from './faceModels.js';
import { GalleryError } from './galleryError.js';
import { parseGallery, writeGalleryFile, type GalleryPerson } from './galleryFile.js';

/** The result of matching one embedding against a gallery. */
export interface GalleryMatch {
  /** The person's name, or '' when no one reaches the threshold. */
  readonly identity: string;
  /** The best cosine similarity when matched; 0 when unknown. */
  readonly score: number;
}

/**
 * The identity gallery: enrolled people with their embeddings, bound to one embedding model.
 * Lives in one JSON file (see galleryFile.ts); changes are in memory until save().
 */
export class FaceGallery {
  private people: GalleryPerson[];

  private constructor(
    readonly file: string,
    readonly embeddingModel: EmbeddingModelId,
    people: readonly GalleryPerson[],
  ) {
    this.people = [...people];
  }

  /**
   * Opens the gallery file, or an empty gallery when the file does not exist yet.
   * @throws GalleryError GALLERY_CORRUPT / GALLERY_MODEL_MISMATCH (see parseGallery), or
   *   GALLERY_CORRUPT when the file exists but cannot be read.
   */
  static async open(file: string, embeddingModel: EmbeddingModelId): Promise<FaceGallery> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return new FaceGallery(file, embeddingModel, []);
      throw new GalleryError(
        'GALLERY_CORRUPT',
        `cannot read face gallery ${file}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return new FaceGallery(file, embeddingModel, parseGallery(text, file, embeddingModel).people);
  }

  /** An empty gallery in memory, saved to `file` by save(). */
  static empty(file: string, embeddingModel: EmbeddingModelId): FaceGallery {
    return new FaceGallery(file, embeddingModel, []);
  }

  /** The enrolled people, in enrolment order. */
  list(): readonly GalleryPerson[] {
    return this.people;
  }

  /**
   * Adds a person with one or more L2-normalised embeddings.
   * @throws GalleryError GALLERY_INVALID_NAME for an empty or blank name or one with control
   *   characters; GALLERY_DUPLICATE_NAME when the name (compared in Unicode NFC) is enrolled;
   *   RangeError for no embeddings or one of the wrong dimension.
   */
  enroll(
    name: string,
    embeddings: readonly Float32Array[],
    sources: readonly string[],
  ): GalleryPerson {
    const normalized = this.checkNewName(name);
    if (embeddings.length === 0)
      throw new RangeError(`'embeddings' must hold at least one embedding`);
    for (const e of embeddings) {
      if (e.length !== this.embeddingModel.dimension) {
        throw new RangeError(
          `'embeddings' must be ${this.embeddingModel.dimension}-d, got ${e.length}`,
        );
      }
    }
    const person: GalleryPerson = {
      name: normalized,
      embeddings: embeddings.map((e) => Float32Array.from(e)),
      sources: [...sources],
      enrolledAt: new Date().toISOString(),
    };
    this.people.push(person);
    return person;
  }

  /**
   * Checks that `name` can be enrolled and returns it in Unicode NFC.
   * @throws GalleryError GALLERY_INVALID_NAME or GALLERY_DUPLICATE_NAME, as enroll() does.
   */
  checkNewName(name: string): string {
    const normalized = name.normalize('NFC');
    // eslint-disable-next-line no-control-regex
    if (normalized.trim() === '' || /[\u0000-\u001f\u007f]/.test(normalized)) {
      throw new GalleryError(
        'GALLERY_INVALID_NAME',
        `${JSON.stringify(name)} is not a usable name: give a non-blank name without control characters`,
      );
    }
    if (this.people.some((p) => p.name === normalized)) {
      throw new GalleryError(
        'GALLERY_DUPLICATE_NAME',
        `${normalized} is already enrolled in ${this.file}; remove them first ` +
          `(\`mobilenet-ros faces remove ${JSON.stringify(normalized)}\`) or choose another name`,
      );
    }
    return normalized;
  }

  /**
   * Removes a person.
   * @throws GalleryError GALLERY_UNKNOWN_NAME listing who is enrolled.
   */
  remove(name: string): void {
    const normalized = name.normalize('NFC');
    const index = this.people.findIndex((p) => p.name === normalized);
    if (index < 0) {
      const known = this.people.map((p) => p.name).join(', ') || 'nobody';
      throw new GalleryError(
        'GALLERY_UNKNOWN_NAME',
        `${normalized} is not enrolled in ${this.file}; enrolled: ${known}`,
      );
    }
    this.people.splice(index, 1);
  }

  /**
   * The person whose closest embedding is most similar (cosine) to `embedding`, if that
   * similarity reaches `threshold`; otherwise identity '' and score 0.
   */
  match(embedding: Float32Array, threshold: number): GalleryMatch {
    let best = -Infinity;
    let identity = '';
    for (const person of this.people) {
      for (const e of person.embeddings) {
        const s = cosineSimilarity(embedding, e);
        if (s > best) {
          best = s;
          identity = person.name;
        }
      }
    }
    return best >= threshold ? { identity, score: best } : { identity: '', score: 0 };
  }

  /** Writes the gallery to its file atomically, mode 0600 (see writeGalleryFile). */
  async save(): Promise<void> {
    await writeGalleryFile(this.file, { embeddingModel: this.embeddingModel, people: this.people });
  }
}
