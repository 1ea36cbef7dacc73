import type { CropClassifier } from '../classification/cropClassifier.js';
import { emptyFaceTimings } from '../faces/faceResult.js';
import type { FaceStage } from '../faces/faceStage.js';
import type { DetectorConfig } from '../config/detectorConfig.js';
import { defaultImageConfig, type ImageConfig } from '../config/imageConfig.js';
import type { TrackingConfig } from '../config/trackingConfig.js';
import type { ObjectDetection } from '../detection/objectDetection.js';
import type { SsdDetector } from '../detection/ssdDetector.js';
import { fatalError, MessageError, MobilenetRosError } from '../errors.js';
import {
  decodeFrameImageAsync,
  type FrameDecodeOptions,
  type FrameImage,
} from '../image/frameImage.js';
import { mapBoxToSource } from '../image/modelInputTransform.js';
import { formatStamp, type CameraFrame } from '../sources/cameraFrame.js';
import { assignFacesToTracks } from '../tracking/assignFacesToTracks.js';
import { CameraTrackers } from '../tracking/cameraTrackers.js';
import { TrackIdentities, type IdentityObservation } from '../tracking/trackIdentities.js';
import type { FaceResult } from '../faces/faceResult.js';
import { frameDecodeOptions } from './frameDecodeOptions.js';
import type { FrameResult, StageTimings, TrackName } from './frameResult.js';
import type { FrameHooks, FrameStage } from './processFrames.js';

/** Optional parts of {@link ObjectDetectionStage}; none is owned by the stage. */
export interface ObjectDetectionStageOptions {
  /** Sees each decoded image with its result (e.g. to draw an overlay). */
  observer?: ImageObserver;
  /** Classifies the crops of the detections of its classes. */
  classifier?: CropClassifier;
  /** The face branch: faces in the frame, or inside person detections (per its config). */
  faces?: FaceStage;
  /** Frame size limits and reduced-scale JPEG decoding. Default: defaultImageConfig(). */
  image?: ImageConfig;
  /**
   * Multi-object tracking per camera (keyed by the frame's topic). Default: off. When enabled the
   * detector reports boxes down to tracking.lowScore for the tracker, and the stage returns the
   * detections at or above the detector's score threshold plus the weaker ones that continue a
   * confirmed track, each with its track id when its track is confirmed.
   */
  tracking?: TrackingConfig;
}

/** Called with the decoded image and the result while the image is still alive (e.g. to draw). */
export type ImageObserver = (image: FrameImage, result: FrameResult) => void;

/**
 * Decode -> preprocess -> SSD -> boxes in source pixels. A frame that cannot be decoded, or
 * fails anywhere, gives a result with `error` set; the stage goes on with the next frame. A fatal
 * failure (a model that cannot run any more, see `fatalError`) rejects instead.
 * Owns nothing but its settings: the detector belongs to whoever created it.
 */
export class ObjectDetectionStage implements FrameStage {
  private readonly observer: ImageObserver | undefined;
  private readonly classifier: CropClassifier | undefined;
  private readonly faces: FaceStage | undefined;
  private readonly tracking: TrackingConfig | undefined;
  private readonly trackers: CameraTrackers | undefined;
  /** Names on person tracks, per camera (topic); with tracking and the face branch. */
  private readonly identities = new Map<string, TrackIdentities>();
  /** How frames are decoded: within the limits, reduced when nothing needs full resolution. */
  readonly decodeOptions: FrameDecodeOptions;

  constructor(
    private readonly detector: SsdDetector,
    private config: DetectorConfig,
    options: ObjectDetectionStageOptions = {},
  ) {
    this.observer = options.observer;
    this.classifier = options.classifier;
    this.faces = options.faces;
    this.tracking = options.tracking?.enabled === true ? options.tracking : undefined;
    this.trackers =
      this.tracking === undefined
        ? undefined
        : new CameraTrackers({
            highScore: this.tracking.highScore,
            lowScore: this.tracking.lowScore,
            matchIou: this.tracking.matchIou,
            minHits: this.tracking.minHits,
            maxAgeS: this.tracking.maxAgeS,
          });
    this.decodeOptions = frameDecodeOptions(options.image ?? defaultImageConfig(), {
      modelInput: { width: detector.width, height: detector.height },
      fullResolution:
        this.observer !== undefined || this.classifier !== undefined || this.faces !== undefined,
    });
    this.applyDecoderOptions(config);
  }

  /** Changes thresholds and NMS at run time; an invalid value throws and the old settings stay. */
  reconfigure(config: DetectorConfig): void {
    this.applyDecoderOptions(config);
    this.config = config;
  }

  async process(frame: CameraFrame, hooks: FrameHooks = {}): Promise<FrameResult> {
    const timings: StageTimings = {
      decodeMs: 0,
      preprocessMs: 0,
      inferenceMs: 0,
      postprocessMs: 0,
    };
    let image: FrameImage | undefined;
    try {
      if (frame.payload.kind === 'invalid') {
        if (frame.payload.error instanceof MobilenetRosError) throw frame.payload.error;
        throw new MessageError(
          'MESSAGE_INVALID',
          `message on ${frame.topic} at ${formatStamp(frame.header)} cannot be deserialized: ${frame.payload.error.message}`,
          { cause: frame.payload.error },
        );
      }
      let t = performance.now();
      image = await decodeFrameImageAsync(frame.payload, this.decodeOptions);
      timings.decodeMs = performance.now() - t;

      t = performance.now();
      const input = image.modelInput({
        width: this.detector.width,
        height: this.detector.height,
        resize: this.config.resize,
        channelOrder: 'rgb',
      });
      timings.preprocessMs = performance.now() - t;

      hooks.onInferenceStart?.();
      t = performance.now();
      // The input is this frame's own: handed to the model's thread, not copied.
      const raw = await this.detector.detect(input.data, { transfer: true });
      timings.inferenceMs = performance.now() - t;

      t = performance.now();
      const found = raw.map((d): ObjectDetection => ({
        classId: d.classIndex,
        label: this.detector.labels.name(d.classIndex),
        score: d.score,
        box: mapBoxToSource(d.box, input.transform),
      }));
      const detections = this.track(frame, found);
      timings.postprocessMs = performance.now() - t;
      const classified =
        this.classifier === undefined
          ? detections
          : await this.classify(this.classifier, image, detections);
      const faceTimings = emptyFaceTimings();
      const foundFaces =
        this.faces === undefined
          ? undefined
          : await this.faces.process(image, {
              persons: classified.filter((d) => d.label === 'person'),
              timings: faceTimings,
            });
      const named =
        foundFaces === undefined ? undefined : this.nameTracks(frame, classified, foundFaces);
      const faces = named?.faces;
      // The full frame's size, where the boxes are, also when it was decoded at reduced scale.
      const result: FrameResult = {
        frame,
        width: image.sourceWidth,
        height: image.sourceHeight,
        detections: classified,
        timings,
        ...(faces === undefined ? {} : { faces, faceTimings }),
        ...(named?.names === undefined ? {} : { trackIdentities: named.names }),
      };
      this.observer?.(image, result);
      return result;
    } catch (error) {
      // A model that can no longer run fails every later frame too: stop, do not count it.
      const fatal = fatalError(error);
      if (fatal !== undefined) throw fatal;
      const reason = error instanceof Error ? error : new Error(String(error));
      return {
        frame,
        width: image?.sourceWidth ?? 0,
        height: image?.sourceHeight ?? 0,
        detections: [],
        error: reason,
        timings,
      };
    } finally {
      image?.close();
    }
  }

  /** Drops every camera's tracks (a new run starts; ids start again from "1"). */
  resetTracking(): void {
    this.trackers?.clear();
    this.identities.clear();
  }

  /**
   * With tracking on: gives each face the person track it is in (assignFacesToTracks), feeds
   * the camera's TrackIdentities with this frame's matches, and reports each face on a track
   * with the track's voted name (its own match kept in frameIdentity). Without tracking the
   * faces are returned as they are.
   */
  private nameTracks(
    frame: CameraFrame,
    detections: readonly ObjectDetection[],
    faces: FaceResult[],
  ): { faces: FaceResult[]; names?: TrackName[] } {
    if (this.tracking === undefined || this.faces === undefined) return { faces };
    const persons = detections.flatMap((d) =>
      d.label === 'person' && d.trackId !== undefined ? [{ trackId: d.trackId, box: d.box }] : [],
    );
    const trackIds = assignFacesToTracks(
      faces.map((f) => f.box),
      persons,
    );
    let identities = this.identities.get(frame.topic);
    if (identities === undefined) {
      identities = new TrackIdentities({
        window: this.tracking.identityWindow,
        minVotes: this.tracking.identityMinVotes,
        margin: this.tracking.identityMargin,
        holdS: this.tracking.identityHoldS,
        unknownWeight: Math.max(0, this.faces.matchThreshold),
      });
      this.identities.set(frame.topic, identities);
    }
    const observations: IdentityObservation[] = [];
    faces.forEach((f, i) => {
      const trackId = trackIds[i];
      if (trackId !== undefined) {
        observations.push({ trackId, identity: f.identity, score: f.identityScore });
      }
    });
    identities.update(stampSeconds(frame), observations);
    const named = faces.map((f, i): FaceResult => {
      const trackId = trackIds[i];
      if (trackId === undefined) return f;
      const vote = identities.identityOf(trackId);
      return {
        ...f,
        trackId,
        identity: vote.identity,
        identityScore: vote.score,
        frameIdentity: f.identity,
        frameIdentityScore: f.identityScore,
      };
    });
    const names = persons.flatMap((p): TrackName[] => {
      const vote = identities.identityOf(p.trackId);
      return vote.identity === '' ? [] : [{ trackId: p.trackId, ...vote }];
    });
    return { faces: named, names };
  }

  /**
   * Runs the camera's tracker over every detection it was given (down to tracking.lowScore)
   * and keeps what is published: the detections at or above the score threshold, the same set
   * as without tracking, and the weaker ones that continue a confirmed track.
   */
  private track(frame: CameraFrame, found: ObjectDetection[]): ObjectDetection[] {
    if (this.trackers === undefined) return found;
    const ids = this.trackers.update(frame.topic, stampSeconds(frame), found);
    const kept: ObjectDetection[] = [];
    found.forEach((d, i) => {
      const trackId = ids[i];
      if (trackId !== undefined) kept.push({ ...d, trackId });
      else if (d.score >= this.config.scoreThreshold) kept.push(d);
    });
    return kept;
  }

  private async classify(
    classifier: CropClassifier,
    image: FrameImage,
    detections: ObjectDetection[],
  ): Promise<ObjectDetection[]> {
    const selected = detections.filter((d) => classifier.appliesTo(d.label));
    if (selected.length === 0) return detections;
    const results = await classifier.classify(
      image,
      selected.map((d) => d.box),
    );
    const byDetection = new Map(selected.map((d, i) => [d, results[i] ?? []]));
    return detections.map((d) => {
      const classification = byDetection.get(d);
      return classification === undefined ? d : { ...d, classification };
    });
  }

  private applyDecoderOptions(config: DetectorConfig): void {
    this.detector.configure({
      // The tracker also wants the weak boxes; track() drops those it does not claim.
      scoreThreshold:
        this.tracking === undefined
          ? config.scoreThreshold
          : Math.min(config.scoreThreshold, this.tracking.lowScore),
      iouThreshold: config.iouThreshold,
      maxDetections: config.maxDetections,
      nms: config.nms === 'per_class' ? 'per-class' : 'class-agnostic',
    });
  }
}

function stampSeconds(frame: CameraFrame): number {
  return frame.header.stamp.sec + frame.header.stamp.nanosec * 1e-9;
}
