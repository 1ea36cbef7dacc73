import assert from 'node:assert/strict';
import { cpuIdentity, parseCpuInfo } from '../../src/inference/cpuIdentity.js';

describe('cpuIdentity', () => {
  it('reads the model and flags of x86 and ARM /proc/cpuinfo texts, and whether the CPU has VNNI', () => {
    const epyc = parseCpuInfo(
      'processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse4_2 avx avx2 fma\n\nprocessor\t: 1\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse4_2 avx avx2 fma\n',
      'x64',
    );
    assert.deepEqual(epyc, {
      model: 'AMD EPYC',
      flags: ['avx', 'avx2', 'fma', 'fpu', 'sse4_2'],
      vnni: false,
    });
    const xeon = parseCpuInfo(
      'model name\t: Intel(R) Xeon(R) Platinum 8375C\nflags\t: avx2 avx512f avx512_vnni\n',
      'x64',
    );
    assert.equal(xeon.vnni, true);
    assert.equal(
      parseCpuInfo('model name : Intel Core Ultra\nflags : avx2 avx_vnni\n', 'x64').vnni,
      true,
    );
    const pi = parseCpuInfo(
      'processor\t: 0\nFeatures\t: fp asimd evtstrm crc32 cpuid asimddp\nModel\t\t: Raspberry Pi 5 Model B Rev 1.0\n',
      'arm64',
    );
    assert.deepEqual(pi, {
      model: 'Raspberry Pi 5 Model B Rev 1.0',
      flags: ['asimd', 'asimddp', 'cpuid', 'crc32', 'evtstrm', 'fp'],
      vnni: false,
    });
    assert.deepEqual(parseCpuInfo('', 'arm64'), { model: 'arm64', flags: [], vnni: false });
  });

  it("reads this machine's CPU once", () => {
    const here = cpuIdentity();
    assert.ok(here.model.length > 0);
    assert.equal(cpuIdentity(), here);
  });
});
