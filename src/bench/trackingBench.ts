import type { TrackingConfig } from '../config/trackingConfig.js';
import { ByteTracker, type TrackableDetection } from '../tracking/byteTracker.js';

/** Result of {@link runTrackingBench}. */
export interface TrackingBenchResult {
  readonly objects: number;
  readonly frames: number;
  /** Per-frame time of ByteTracker.update, milliseconds. */
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Confirmed ids handed out (objects when nothing was lost). */
  readonly ids: number;
}

/**
 * Times the tracker alone on `objects` boxes moving at constant speed on a 1280x720 image at
 * 30 fps, with score noise that sends some into the low-score stage and a few misses, so every
 * code path runs. Pure: no model, no images.
 */
export function runTrackingBench(
  config: TrackingConfig,
  options: { objects?: number; frames?: number } = {},
): TrackingBenchResult {
  const objects = options.objects ?? 20;
  const frames = options.frames ?? 3000;
  const tracker = new ByteTracker(config);
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const start = Array.from({ length: objects }, () => ({
    x: random() * 1100,
    y: random() * 560,
    vx: (random() - 0.5) * 200,
    vy: (random() - 0.5) * 100,
    classId: 1 + Math.floor(random() * 3),
  }));
  const times: number[] = [];
  const ids = new Set<string>();
  for (let f = 0; f < frames; f++) {
    const t = f / 30;
    const detections: TrackableDetection[] = [];
    for (const o of start) {
      if (random() < 0.03) continue;
      // Bounce inside the image so objects stay in view.
      const x = bounce(o.x + o.vx * t, 1180);
      const y = bounce(o.y + o.vy * t, 620);
      const jitter = (): number => (random() - 0.5) * 4;
      detections.push({
        classId: o.classId,
        score: random() < 0.1 ? 0.35 : 0.6 + random() * 0.4,
        box: {
          xmin: x + jitter(),
          ymin: y + jitter(),
          xmax: x + 100 + jitter(),
          ymax: y + 100 + jitter(),
        },
      });
    }
    const before = performance.now();
    const assigned = tracker.update(t, detections);
    times.push(performance.now() - before);
    for (const id of assigned) if (id !== undefined) ids.add(id);
  }
  // The first frames warm the JIT; report the rest.
  const measured = times.slice(Math.min(200, Math.floor(frames / 10))).sort((a, b) => a - b);
  const at = (q: number): number =>
    measured[Math.min(measured.length - 1, Math.floor(q * measured.length))] ?? NaN;
  return {
    objects,
    frames,
    meanMs: measured.reduce((a, b) => a + b, 0) / measured.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    ids: ids.size,
  };
}

function bounce(v: number, max: number): number {
  const period = 2 * max;
  const m = ((v % period) + period) % period;
  return m <= max ? m : period - m;
}
