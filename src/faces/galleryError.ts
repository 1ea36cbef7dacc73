/**
 * Gallery errors live with the other domain errors (src/errors.ts); re-exported here for the
 * face branch. Codes: GALLERY_CORRUPT, GALLERY_MODEL_MISMATCH, GALLERY_DUPLICATE_NAME,
 * GALLERY_UNKNOWN_NAME, GALLERY_INVALID_NAME, GALLERY_WRITE_FAILED, ENROLL_NO_FACE,
 * ENROLL_SEVERAL_FACES.
 */
export { GalleryError } from '../errors.js';
