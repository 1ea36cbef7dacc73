import { ByteTracker, type ByteTrackerOptions, type TrackableDetection } from './byteTracker.js';

/**
 * One {@link ByteTracker} per camera, created on a camera's first frame. Ids are per camera:
 * "3" on two cameras are two different objects. Whoever runs the pipeline owns this state and
 * clears it when a run ends (the ROS node on deactivate).
 */
export class CameraTrackers {
  private readonly trackers = new Map<string, ByteTracker>();

  constructor(private readonly options: ByteTrackerOptions) {
    // Validate once, here, rather than on the first frame.
    new ByteTracker(options);
  }

  /** See ByteTracker.update; `camera` is any stable key (the topic). */
  update(
    camera: string,
    stamp: number,
    detections: readonly TrackableDetection[],
  ): (string | undefined)[] {
    let tracker = this.trackers.get(camera);
    if (tracker === undefined) {
      tracker = new ByteTracker(this.options);
      this.trackers.set(camera, tracker);
    }
    return tracker.update(stamp, detections);
  }

  /** Tracks alive per camera (tentative included). */
  trackCounts(): Map<string, number> {
    return new Map([...this.trackers].map(([camera, t]) => [camera, t.trackCount]));
  }

  /** Drops every camera's tracks and ids: the next run starts from "1". */
  clear(): void {
    this.trackers.clear();
  }
}
