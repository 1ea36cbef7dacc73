import { FrameImage } from '../image/frameImage.js';
import { readImageFile } from '../image/readImageFile.js';
import type { FaceStage } from './faceStage.js';
import type { FaceGallery } from './gallery.js';
import { GalleryError } from './galleryError.js';
import type { GalleryPerson } from './galleryFile.js';

/**
 * Enrols one person from image files, each of which must show exactly one face (looked for in
 * the whole image), and saves the gallery. Nothing is saved unless every image is usable.
 *
 * @throws GalleryError GALLERY_DUPLICATE_NAME (checked first), ENROLL_NO_FACE or
 *   ENROLL_SEVERAL_FACES naming the image; ImageError for an unreadable image; RangeError for
 *   an empty image list.
 */
export async function enrollFromImages(
  stage: FaceStage,
  gallery: FaceGallery,
  name: string,
  images: readonly string[],
): Promise<GalleryPerson> {
  if (images.length === 0) throw new RangeError(`'images' must name at least one image file`);
  // Refuse a bad or duplicate name before spending time on the images.
  const normalized = gallery.checkNewName(name);
  const embeddings: Float32Array[] = [];
  for (const file of images) {
    const image = new FrameImage(readImageFile(file));
    try {
      const faces = await stage.process(image, { region: 'frame' });
      if (faces.length === 0) {
        throw new GalleryError(
          'ENROLL_NO_FACE',
          `no face found in ${file}; use an image where ${normalized}'s face is clearly visible, frontal and at least about 6% of the image width`,
        );
      }
      if (faces.length > 1) {
        const boxes = faces.map(
          (f) =>
            `[${[f.box.xmin, f.box.ymin, f.box.xmax, f.box.ymax].map((v) => v.toFixed(0)).join(', ')}]`,
        );
        throw new GalleryError(
          'ENROLL_SEVERAL_FACES',
          `${faces.length} faces found in ${file} (at ${boxes.join(', ')}); enrolment needs exactly one: crop the image to ${normalized}'s face`,
        );
      }
      embeddings.push(faces[0]!.embedding);
    } finally {
      image.close();
    }
  }
  const person = gallery.enroll(normalized, embeddings, images);
  await gallery.save();
  return person;
}
