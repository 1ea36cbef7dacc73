/**
 * The project's own copies of the ROS 2 message definitions it reads and writes (Humble/Jazzy
 * layouts; vision_msgs 4.x). Field lines match upstream field for field; comments are ours and
 * short. We keep copies so that bags can be written, and Humble .db3 bags (which store no
 * definitions) read, on machines without a ROS installation. test/messages/definitions.test.ts
 * checks them against the upstream files.
 *
 * Keys are full type names (`pkg/msg/Type`); texts use the same relative and qualified type
 * names as upstream, which `MessageRegistry` resolves within the message's own package.
 *
 * foxglove_msgs (ROS 2 package of github.com/foxglove/schemas, ros_foxglove_msgs/ros2, 3.x): only
 * the image annotation types, which Foxglove's Image panel draws over a camera image.
 */

const time = `# Seconds and nanoseconds since the epoch (ROS time).
int32 sec
uint32 nanosec
`;

const duration = `# A span of time: seconds plus nanoseconds in [0, 1e9).
int32 sec
uint32 nanosec
`;

const header = `# Stamp and coordinate frame of stamped data.
builtin_interfaces/Time stamp
string frame_id
`;

const image = `# An uncompressed image; (0, 0) is the top-left corner.
std_msgs/Header header

uint32 height                # number of rows
uint32 width                 # number of columns

string encoding              # pixel layout, see sensor_msgs/image_encodings.hpp

uint8 is_bigendian
uint32 step                  # row length in bytes
uint8[] data                 # step * height bytes
`;

const compressedImage = `# A compressed image (jpeg, png, tiff).
std_msgs/Header header

string format

uint8[] data
`;

const point = `# A position in free space.
float64 x
float64 y
float64 z
`;

const quaternion = `# An orientation as a quaternion; the default is the identity.
float64 x 0
float64 y 0
float64 z 0
float64 w 1
`;

const pose = `# Position and orientation.
Point position
Quaternion orientation
`;

const poseWithCovariance = `# A pose with its 6x6 row-major covariance (x, y, z, rot X, rot Y, rot Z).
Pose pose
float64[36] covariance
`;

const point2D = `# A point in pixel coordinates: x right, y down.
float64 x
float64 y
`;

const pose2D = `# A 2D position and a rotation in radians, counterclockwise positive.
vision_msgs/Point2D position
float64 theta
`;

const boundingBox2D = `# A 2D box in pixels that may be rotated about its center.
vision_msgs/Pose2D center
float64 size_x
float64 size_y
`;

const objectHypothesis = `# A class id and its score (by convention in [0, 1]).
string class_id
float64 score
`;

const objectHypothesisWithPose = `# A class hypothesis with the object's 6D pose.
ObjectHypothesis hypothesis
geometry_msgs/PoseWithCovariance pose
`;

const detection2D = `# One 2D detection: class hypotheses, a box, and an id stable across messages.
std_msgs/Header header
ObjectHypothesisWithPose[] results
BoundingBox2D bbox
string id
`;

const detection2DArray = `# All detections of one input.
std_msgs/Header header
Detection2D[] detections
`;

const visionClass = `# Maps an integer class id to its name; 65535 means unlabeled.
uint16 class_id
string class_name
`;

const labelInfo = `# The label map of a vision pipeline and the score threshold it applies.
std_msgs/Header header
VisionClass[] class_map
float32 threshold
`;

const keyValue = `# A labelled value.
string key
string value
`;

const diagnosticStatus = `# The status of one component.
byte OK=0
byte WARN=1
byte ERROR=2
byte STALE=3

byte level
string name
string message
string hardware_id
KeyValue[] values
`;

const diagnosticArray = `# Statuses of several components.
std_msgs/Header header
DiagnosticStatus[] status
`;

const foxglovePoint2 = `# A point in image pixels; (0, 0) is the top-left corner of the top-left pixel.
float64 x
float64 y
`;

const foxgloveColor = `# An RGBA colour, each component in [0, 1].
float64 r
float64 g
float64 b
float64 a
`;

const circleAnnotation = `# A circle on a 2D image.
builtin_interfaces/Time timestamp
foxglove_msgs/Point2 position        # centre, pixels
float64 diameter                     # pixels
float64 thickness                    # outline width, pixels
foxglove_msgs/Color fill_color
foxglove_msgs/Color outline_color
`;

const pointsAnnotation = `# Points, or lines through them, on a 2D image.
builtin_interfaces/Time timestamp

uint8 UNKNOWN=0
uint8 POINTS=1       # each point alone
uint8 LINE_LOOP=2    # closed polygon: 0-1, 1-2, ..., n-0
uint8 LINE_STRIP=3   # open polyline: 0-1, 1-2, ...
uint8 LINE_LIST=4    # separate segments: 0-1, 2-3, ...

uint8 type
foxglove_msgs/Point2[] points        # pixels
foxglove_msgs/Color outline_color
foxglove_msgs/Color[] outline_colors # per point (POINTS) or per segment (lines); may be empty
foxglove_msgs/Color fill_color
float64 thickness                    # pixels
`;

const textAnnotation = `# A text label on a 2D image.
builtin_interfaces/Time timestamp
foxglove_msgs/Point2 position        # pixels
string text
float64 font_size                    # pixels
foxglove_msgs/Color text_color
foxglove_msgs/Color background_color
`;

const imageAnnotations = `# The annotations of one image, matched to it by their timestamps.
foxglove_msgs/CircleAnnotation[] circles
foxglove_msgs/PointsAnnotation[] points
foxglove_msgs/TextAnnotation[] texts
`;

/** .msg text of every built-in type, keyed by full type name (`pkg/msg/Type`). */
export const builtinDefinitions: Readonly<Record<string, string>> = Object.freeze({
  'builtin_interfaces/msg/Time': time,
  'builtin_interfaces/msg/Duration': duration,
  'std_msgs/msg/Header': header,
  'sensor_msgs/msg/Image': image,
  'sensor_msgs/msg/CompressedImage': compressedImage,
  'geometry_msgs/msg/Point': point,
  'geometry_msgs/msg/Quaternion': quaternion,
  'geometry_msgs/msg/Pose': pose,
  'geometry_msgs/msg/PoseWithCovariance': poseWithCovariance,
  'vision_msgs/msg/Point2D': point2D,
  'vision_msgs/msg/Pose2D': pose2D,
  'vision_msgs/msg/BoundingBox2D': boundingBox2D,
  'vision_msgs/msg/ObjectHypothesis': objectHypothesis,
  'vision_msgs/msg/ObjectHypothesisWithPose': objectHypothesisWithPose,
  'vision_msgs/msg/Detection2D': detection2D,
  'vision_msgs/msg/Detection2DArray': detection2DArray,
  'vision_msgs/msg/VisionClass': visionClass,
  'vision_msgs/msg/LabelInfo': labelInfo,
  'diagnostic_msgs/msg/KeyValue': keyValue,
  'diagnostic_msgs/msg/DiagnosticStatus': diagnosticStatus,
  'diagnostic_msgs/msg/DiagnosticArray': diagnosticArray,
  'foxglove_msgs/msg/Point2': foxglovePoint2,
  'foxglove_msgs/msg/Color': foxgloveColor,
  'foxglove_msgs/msg/CircleAnnotation': circleAnnotation,
  'foxglove_msgs/msg/PointsAnnotation': pointsAnnotation,
  'foxglove_msgs/msg/TextAnnotation': textAnnotation,
  'foxglove_msgs/msg/ImageAnnotations': imageAnnotations,
});
