import assert from 'node:assert/strict';
import { opencvBuildInfo, parseOpenCvBuildInformation } from '../../src/image/opencvBuildInfo.js';

describe('OpenCV build information', () => {
  it('reads the linked OpenCV', () => {
    const info = opencvBuildInfo();
    assert.match(info.version, /^4\.\d+\.\d+/);
    for (const m of ['core', 'imgproc', 'imgcodecs'])
      assert.ok(info.modules.includes(m), `${m} in ${info.modules.join(' ')}`);
    assert.equal(typeof info.cuda, 'boolean');
  });

  it('recognises a CUDA build (the summary OpenCV prints when built with CUDA)', () => {
    const text = [
      'General configuration for OpenCV 4.8.0 =====================================',
      '  OpenCV modules:',
      '    To be built:                 core cudaarithm cudaimgproc imgproc imgcodecs',
      '    Disabled:                    world',
      '  NVIDIA CUDA:                   YES (ver 11.4, CUFFT CUBLAS FAST_MATH)',
      '    NVIDIA GPU arch:             53 62 72 87',
      '  Parallel framework:            pthreads',
    ].join('\n');
    assert.deepEqual(parseOpenCvBuildInformation(text), {
      version: '4.8.0',
      modules: ['core', 'cudaarithm', 'cudaimgproc', 'imgproc', 'imgcodecs'],
      cuda: true,
      cudaDetail: 'YES (ver 11.4, CUFFT CUBLAS FAST_MATH)',
      parallelFramework: 'pthreads',
    });
  });

  it('refuses text that is not a build summary', () => {
    assert.throws(
      () => parseOpenCvBuildInformation('hello'),
      (e: unknown) =>
        e instanceof RangeError && /not an OpenCV build information text/.test(e.message),
    );
  });
});
