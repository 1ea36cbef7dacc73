import yauzl from 'yauzl';
import { ModelError } from '../errors.js';

/** Reads one entry of a zip archive held in memory. */
export function readZipEntry(zip: Buffer, entryName: string, label = 'zip'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (openError, archive) => {
      if (openError) {
        reject(
          new ModelError(
            'MODEL_FETCH_FAILED',
            `${label} is not a readable zip: ${openError.message}`,
            { cause: openError },
          ),
        );
        return;
      }
      archive.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== entryName) {
          archive.readEntry();
          return;
        }
        archive.openReadStream(entry, (streamError, stream) => {
          if (streamError) {
            reject(streamError);
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            archive.close();
            resolve(Buffer.concat(chunks));
          });
        });
      });
      archive.on('end', () =>
        reject(new ModelError('MODEL_FETCH_FAILED', `${label} has no entry ${entryName}`)),
      );
      archive.on('error', reject);
      archive.readEntry();
    });
  });
}
