/**
 * TypeScript shapes of the ROS 2 messages this package reads and writes, field for field as
 * in their .msg definitions (Humble/Jazzy layouts). Arrays of primitives are typed arrays, as
 * the CDR reader returns them.
 */

export interface Time {
  sec: number;
  nanosec: number;
}

export interface Header {
  stamp: Time;
  frame_id: string;
}

/** sensor_msgs/msg/Image */
export interface Image {
  header: Header;
  height: number;
  width: number;
  encoding: string;
  is_bigendian: number;
  step: number;
  data: Uint8Array;
}

/** sensor_msgs/msg/CompressedImage */
export interface CompressedImage {
  header: Header;
  format: string;
  data: Uint8Array;
}

/** vision_msgs/msg/Point2D */
export interface Point2D {
  x: number;
  y: number;
}

/** vision_msgs/msg/Pose2D */
export interface Pose2D {
  position: Point2D;
  theta: number;
}

/** vision_msgs/msg/BoundingBox2D */
export interface BoundingBox2D {
  center: Pose2D;
  size_x: number;
  size_y: number;
}

/** vision_msgs/msg/ObjectHypothesis */
export interface ObjectHypothesis {
  class_id: string;
  score: number;
}

/** geometry_msgs/msg/Point */
export interface Point {
  x: number;
  y: number;
  z: number;
}

/** geometry_msgs/msg/Quaternion */
export interface Quaternion {
  x: number;
  y: number;
  z: number;
  w: number;
}

/** geometry_msgs/msg/Pose */
export interface Pose {
  position: Point;
  orientation: Quaternion;
}

/** geometry_msgs/msg/PoseWithCovariance */
export interface PoseWithCovariance {
  pose: Pose;
  covariance: Float64Array;
}

/** vision_msgs/msg/ObjectHypothesisWithPose */
export interface ObjectHypothesisWithPose {
  hypothesis: ObjectHypothesis;
  pose: PoseWithCovariance;
}

/** vision_msgs/msg/Detection2D */
export interface Detection2D {
  header: Header;
  results: ObjectHypothesisWithPose[];
  bbox: BoundingBox2D;
  id: string;
}

/** vision_msgs/msg/Detection2DArray */
export interface Detection2DArray {
  header: Header;
  detections: Detection2D[];
}

/** vision_msgs/msg/VisionClass */
export interface VisionClass {
  class_id: number;
  class_name: string;
}

/** vision_msgs/msg/LabelInfo */
export interface LabelInfo {
  header: Header;
  class_map: VisionClass[];
  threshold: number;
}

/** diagnostic_msgs/msg/KeyValue */
export interface KeyValue {
  key: string;
  value: string;
}

/** diagnostic_msgs/msg/DiagnosticStatus; level is OK 0, WARN 1, ERROR 2, STALE 3. */
export interface DiagnosticStatus {
  level: number;
  name: string;
  message: string;
  hardware_id: string;
  values: KeyValue[];
}

/** diagnostic_msgs/msg/DiagnosticArray */
export interface DiagnosticArray {
  header: Header;
  status: DiagnosticStatus[];
}

/** foxglove_msgs/msg/Point2: image pixels, origin at the top-left corner of the top-left pixel. */
export interface Point2 {
  x: number;
  y: number;
}

/** foxglove_msgs/msg/Color: RGBA, each in [0, 1]. */
export interface Color {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** foxglove_msgs/msg/CircleAnnotation */
export interface CircleAnnotation {
  timestamp: Time;
  position: Point2;
  diameter: number;
  thickness: number;
  fill_color: Color;
  outline_color: Color;
}

/** PointsAnnotation.type values (the constants of foxglove_msgs/msg/PointsAnnotation). */
export const PointsAnnotationType = {
  unknown: 0,
  points: 1,
  lineLoop: 2,
  lineStrip: 3,
  lineList: 4,
} as const;

/** foxglove_msgs/msg/PointsAnnotation; `type` is one of {@link PointsAnnotationType}. */
export interface PointsAnnotation {
  timestamp: Time;
  type: number;
  points: Point2[];
  outline_color: Color;
  outline_colors: Color[];
  fill_color: Color;
  thickness: number;
}

/** foxglove_msgs/msg/TextAnnotation */
export interface TextAnnotation {
  timestamp: Time;
  position: Point2;
  text: string;
  font_size: number;
  text_color: Color;
  background_color: Color;
}

/** foxglove_msgs/msg/ImageAnnotations */
export interface ImageAnnotations {
  circles: CircleAnnotation[];
  points: PointsAnnotation[];
  texts: TextAnnotation[];
}

/** Full ROS 2 type names of the messages above, as they appear in bags and on topics. */
export const MessageTypes = {
  Image: 'sensor_msgs/msg/Image',
  CompressedImage: 'sensor_msgs/msg/CompressedImage',
  Detection2DArray: 'vision_msgs/msg/Detection2DArray',
  LabelInfo: 'vision_msgs/msg/LabelInfo',
  DiagnosticArray: 'diagnostic_msgs/msg/DiagnosticArray',
  ImageAnnotations: 'foxglove_msgs/msg/ImageAnnotations',
} as const;
