import type { DoctorCheck } from './doctorCheck.js';

/** The OpenCV build opencv4nodejs is linked against: version, modules, CUDA or not. */
export async function opencvCheck(): Promise<DoctorCheck[]> {
  try {
    const { opencvBuildInfo } = await import('../image/opencvBuildInfo.js');
    const info = opencvBuildInfo();
    const needed = ['core', 'imgproc', 'imgcodecs'];
    const missing = needed.filter((m) => !info.modules.includes(m));
    return [
      {
        section: 'opencv',
        status: missing.length > 0 ? 'fail' : 'ok',
        summary:
          `OpenCV ${info.version}; CUDA: ${info.cuda ? info.cudaDetail : 'no'} (not needed: OpenCV only decodes and resizes here); ` +
          `parallel framework: ${info.parallelFramework}`,
        details: [`modules: ${info.modules.join(' ')}`],
        ...(missing.length > 0
          ? {
              fix: `this OpenCV lacks ${missing.join(', ')}: install a full build (Debian/Ubuntu: libopencv-dev)`,
            }
          : {}),
      },
    ];
  } catch (error) {
    return [
      {
        section: 'opencv',
        status: 'fail',
        summary: `OpenCV bindings do not load: ${(error as Error).message.split('\n')[0] ?? ''}`,
        fix: 'install libopencv-dev and run `npm run setup` (it builds @u4/opencv4nodejs against the system OpenCV)',
      },
    ];
  }
}
