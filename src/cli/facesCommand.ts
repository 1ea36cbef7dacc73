import { Command } from 'commander';
import type { FacesConfig } from '../config/facesConfig.js';
import type { AppConfig } from '../config/detectorConfig.js';
import { embeddingModelId } from '../faces/faceModels.js';
import { FaceStage } from '../faces/faceStage.js';
import { FaceGallery } from '../faces/gallery.js';
import { enrollFromImages } from '../faces/galleryEnroll.js';
import { configFrom } from './configOption.js';

interface CommonOptions {
  config?: string;
  gallery?: string;
}

/** `mobilenet-ros faces enroll|list|remove`: the identity gallery. */
export function facesCommand(): Command {
  const faces = new Command('faces').description(
    'manage the face identity gallery (one JSON file, see faces.gallery in the config)',
  );

  faces
    .command('enroll')
    .description('enrol a person from image files that each show exactly one face')
    .requiredOption('--name <name>', 'the person’s name (any Unicode; unique in the gallery)')
    .argument('<images...>', 'image files (JPEG, PNG), one face each')
    .option('--gallery <file>', 'gallery file (default: faces.gallery of the config)')
    .option('--config <file>', 'YAML config (the same file as the ROS parameters)')
    .action(async (images: string[], options: CommonOptions & { name: string }) => {
      const { app, facesConfig, file } = settings(options);
      const stage = await FaceStage.create({
        modelsDir: app.modelsDir,
        config: { ...facesConfig, attributes: false },
        threads: app.inference.threads,
        gallery: FaceGallery.empty(file, embeddingModelId(app.modelsDir, app.faces)),
      });
      try {
        const gallery = await FaceGallery.open(file, stage.embeddingModel);
        const person = await enrollFromImages(stage, gallery, options.name, images);
        process.stdout.write(
          `enrolled ${person.name} from ${images.length} image(s) into ${file}\n`,
        );
      } finally {
        await stage.close();
      }
    });

  faces
    .command('list')
    .description('list the enrolled people')
    .option('--gallery <file>', 'gallery file (default: faces.gallery of the config)')
    .option('--config <file>', 'YAML config (the same file as the ROS parameters)')
    .action(async (options: CommonOptions) => {
      const { app, file } = settings(options);
      const gallery = await FaceGallery.open(file, embeddingModelId(app.modelsDir, app.faces));
      const people = gallery.list();
      for (const p of people) {
        process.stdout.write(
          `${p.name}\t${p.embeddings.length} image(s)\tenrolled ${p.enrolledAt}\n`,
        );
      }
      process.stderr.write(`${people.length} people in ${file}\n`);
    });

  faces
    .command('remove')
    .description('remove an enrolled person')
    .argument('<name>', 'the name as enrolled')
    .option('--gallery <file>', 'gallery file (default: faces.gallery of the config)')
    .option('--config <file>', 'YAML config (the same file as the ROS parameters)')
    .action(async (name: string, options: CommonOptions) => {
      const { app, file } = settings(options);
      const gallery = await FaceGallery.open(file, embeddingModelId(app.modelsDir, app.faces));
      gallery.remove(name);
      await gallery.save();
      process.stdout.write(`removed ${name.normalize('NFC')} from ${file}\n`);
    });
  return faces;
}

function settings(options: CommonOptions): {
  app: AppConfig;
  facesConfig: FacesConfig;
  file: string;
} {
  const app = configFrom(options.config);
  const facesConfig = app.faces;
  return { app, facesConfig, file: options.gallery ?? facesConfig.gallery };
}
