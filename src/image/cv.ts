/**
 * The one place that loads OpenCV. Import `cv` from here, never '@u4/opencv4nodejs' directly:
 * - opencv4nodejs tries to build OpenCV itself unless told not to, and looks for that setting
 *   in the package.json of the *current directory*, so the CLI would fail when run elsewhere;
 *   we link against the system OpenCV and say so through the environment instead.
 * - its loader logs to stdout, which would corrupt `detect --json` output.
 */
import { Log } from '@u4/opencv-build';

process.env.OPENCV4NODEJS_DISABLE_AUTOBUILD ??= '1';
Log.silence = true;

const { default: cv } = await import('@u4/opencv4nodejs');

export default cv;
export type { Mat, Rect } from '@u4/opencv4nodejs';
