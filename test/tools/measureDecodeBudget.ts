/**
 * Measures what the pixel budget and reduced-scale JPEG decoding change (issue #13), and prints
 * the numbers (no assertions: timings belong in reports, not in tests). Run after
 * `npm run build`:
 *
 *   node dist/test/tools/measureDecodeBudget.js
 *
 * 1. A forged JPEG (rocket.jpg claiming 30000x30000, and a control claiming 8000x8000 decoded
 *    with the limit raised): time and peak resident memory of the refusal vs. a real decode.
 * 2. Decode time of large real photos (face-api samples, 1920 px wide) and of rocket.jpg
 *    upscaled to 5120x3416, at full size and at the reduction `jpeg_reduced_decode: auto`
 *    picks for the 300x300 detector; and the whole detector stage on both.
 */
import { readFileSync } from 'node:fs';
import { defaultConfig } from '../../src/config/parseConfig.js';
import { decodeEncodedImage, decodeEncodedImageAsync } from '../../src/image/decodeEncodedImage.js';
import { encodeJpeg } from '../../src/image/encodeImage.js';
import cv from '../../src/image/cv.js';
import { chooseJpegReduction } from '../../src/image/jpegReduction.js';
import { readEncodedImageSize } from '../../src/image/encodedImageSize.js';
import { DetectionPipeline } from '../../src/pipeline/detectionPipeline.js';
import { REDUCED_DECODE_MARGIN } from '../../src/pipeline/frameDecodeOptions.js';
import type { CameraFrame } from '../../src/sources/cameraFrame.js';
import { faceApiSample } from '../faces/faceTestSupport.js';
import { withJpegSize } from '../image/hostileImages.js';
import { photoPath } from '../image/imageTestSupport.js';
import { modelsDir } from '../support/paths.js';

const ROUNDS = 15;

function peakMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function timeDecode(bytes: Uint8Array, reduceTo?: { width: number; height: number }) {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    const decoded = await decodeEncodedImageAsync(bytes, 'photo', reduceTo ? { reduceTo } : {});
    times.push(performance.now() - t);
    decoded.mat.release();
  }
  return median(times);
}

function frame(bytes: Uint8Array, sequence: number): CameraFrame {
  return {
    topic: '/camera/image_raw/compressed',
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'camera' },
    payload: {
      kind: 'compressed',
      image: {
        header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'camera' },
        format: 'jpeg',
        data: bytes,
      },
    },
    logTime: 0n,
    receivedAt: process.hrtime.bigint(),
    sequence,
  };
}

async function main(): Promise<void> {
  const rocket = new Uint8Array(readFileSync(photoPath('rocket.jpg')));

  console.log('1. Forged headers');
  const bomb = withJpegSize(rocket, 30000, 30000);
  let t = performance.now();
  let refusals = 0;
  for (let i = 0; i < 1000; i++) {
    try {
      decodeEncodedImage(bomb, 'bomb');
    } catch {
      refusals++;
    }
  }
  console.log(
    `   ${bomb.length} B JPEG claiming 30000x30000: ${refusals}/1000 refused, ` +
      `${((performance.now() - t) / 1000).toFixed(3)} ms each; peak RSS ${peakMiB().toFixed(0)} MiB`,
  );
  const control = withJpegSize(rocket, 8000, 8000);
  const before = peakMiB();
  t = performance.now();
  const mat = decodeEncodedImage(control, 'control', {
    limits: { maxSide: 16384, maxPixels: 2 ** 30 },
  });
  const ms = performance.now() - t;
  mat.release();
  console.log(
    `   control, claiming 8000x8000, limit raised so OpenCV decodes it: ${ms.toFixed(0)} ms, ` +
      `peak RSS ${before.toFixed(0)} -> ${peakMiB().toFixed(0)} MiB`,
  );

  console.log(
    `2. Decode time, median of ${ROUNDS} (imdecodeAsync): full, at least 600x600 (auto), at least 300x300`,
  );
  const big = cv.imdecode(Buffer.from(rocket)).resize(3416, 5120, 0, 0, cv.INTER_CUBIC);
  const photos: [string, Uint8Array][] = [];
  for (let n = 1; n <= 6; n++)
    photos.push([`face-api sample${n}.jpg`, new Uint8Array(await faceApiSample(n))]);
  photos.push(['rocket.jpg x8 (5120x3416, q90)', encodeJpeg(big)]);
  big.release();
  // What the pipeline asks for: twice the 300x300 input (REDUCED_DECODE_MARGIN); and, for
  // comparison, the input itself (1/4 for the face-api photos, which lowers scores).
  const reduceTo = { width: 300 * REDUCED_DECODE_MARGIN, height: 300 * REDUCED_DECODE_MARGIN };
  const model = { width: 300, height: 300 };
  for (const [name, bytes] of photos) {
    const size = readEncodedImageSize(bytes);
    if (size === undefined) throw new Error(name);
    const full = await timeDecode(bytes);
    const parts = [`full ${full.toFixed(1)} ms`];
    for (const target of [reduceTo, model]) {
      const k = chooseJpegReduction(size, target);
      const ms = await timeDecode(bytes, target);
      parts.push(
        `1/${k} (${Math.ceil(size.width / k)}x${Math.ceil(size.height / k)}) ${ms.toFixed(1)} ms ` +
          `(-${((1 - ms / full) * 100).toFixed(0)}%)`,
      );
    }
    console.log(`   ${name} ${size.width}x${size.height}: ${parts.join(', ')}`);
  }

  console.log(`3. Detector stage (decode + preprocess), faces off, median of ${ROUNDS} per photo`);
  for (const mode of ['off', 'auto'] as const) {
    const base = defaultConfig();
    const pipeline = await DetectionPipeline.create({
      ...base,
      modelsDir,
      faces: { ...base.faces, enabled: false },
      image: { ...base.image, jpegReducedDecode: mode },
    });
    try {
      const decode: number[] = [];
      const preprocess: number[] = [];
      const total: number[] = [];
      for (const [, bytes] of photos) {
        for (let i = 0; i < ROUNDS; i++) {
          const result = await pipeline.stage.process(frame(bytes, i));
          if (result.error) throw result.error;
          decode.push(result.timings.decodeMs);
          preprocess.push(result.timings.preprocessMs);
          total.push(
            result.timings.decodeMs +
              result.timings.preprocessMs +
              result.timings.inferenceMs +
              result.timings.postprocessMs,
          );
        }
      }
      console.log(
        `   jpeg_reduced_decode: ${mode}: decode ${median(decode).toFixed(1)} ms, preprocess ` +
          `${median(preprocess).toFixed(1)} ms, whole frame ${median(total).toFixed(1)} ms (medians over all photos)`,
      );
    } finally {
      await pipeline.close();
    }
  }
}

await main();
