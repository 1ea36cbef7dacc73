import cv from './cv.js';

/** What the loaded OpenCV was built with, from cv.getBuildInformation(). */
export interface OpenCvBuildInfo {
  /** e.g. "4.6.0". */
  readonly version: string;
  /** "OpenCV modules: To be built:", e.g. core, imgproc, imgcodecs, dnn. */
  readonly modules: readonly string[];
  /** True when built with CUDA ("NVIDIA CUDA: YES"). */
  readonly cuda: boolean;
  /** The "NVIDIA CUDA:" value, e.g. "YES (ver 11.4, CUFFT CUBLAS)", or "NO". */
  readonly cudaDetail: string;
  /** e.g. "TBB (ver 2021.8 interface 12080)" or "pthreads". */
  readonly parallelFramework: string;
}

/** Build information of the OpenCV that opencv4nodejs is linked against. */
export function opencvBuildInfo(): OpenCvBuildInfo {
  return parseOpenCvBuildInformation(cv.getBuildInformation());
}

/**
 * Parses the text of cv::getBuildInformation(). Pure: the format is OpenCV's CMake status
 * summary, one `label: value` per line, indented by section.
 */
export function parseOpenCvBuildInformation(text: string): OpenCvBuildInfo {
  const version = /General configuration for OpenCV (\S+)/.exec(text)?.[1];
  if (version === undefined)
    throw new RangeError(
      `not an OpenCV build information text: ${JSON.stringify(text.slice(0, 80))}`,
    );
  const value = (label: string): string | undefined =>
    new RegExp(`^\\s*${label.replace(/[/()]/g, '\\$&')}:[ \\t]*(.*)$`, 'm').exec(text)?.[1]?.trim();
  // "To be built:" comes right after "OpenCV modules:"; the same label appears nowhere else.
  const modules = (value('To be built') ?? '').split(/\s+/).filter((m) => m !== '');
  const cudaDetail = value('NVIDIA CUDA') ?? 'NO';
  return {
    version,
    modules,
    cuda: /^YES\b/.test(cudaDetail),
    cudaDetail,
    parallelFramework: value('Parallel framework') ?? 'unknown',
  };
}
