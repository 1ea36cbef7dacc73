import assert from 'node:assert/strict';
import fs from 'node:fs';
import { processRssBytes, vmRssBytes } from '../../src/bench/processRss.js';

describe('vmRssBytes', () => {
  it('reads VmRSS in kB from /proc/<pid>/status text', () => {
    const text = 'Name:\tnode\nVmPeak:\t  900000 kB\nVmRSS:\t  318720 kB\nRssAnon:\t 1000 kB\n';
    assert.equal(vmRssBytes(text), 318720 * 1024);
  });

  it('says so when there is no VmRSS line', () => {
    assert.throws(() => vmRssBytes('Name:\tkthreadd\n'), /no 'VmRSS: <n> kB' line/);
  });

  (fs.existsSync('/proc/self/status') ? it : it.skip)(
    'reads this process, and names a pid that is gone',
    () => {
      const rss = processRssBytes(process.pid);
      assert.ok(rss > 10 * 2 ** 20 && rss < 64 * 2 ** 30, `${rss}`);
      assert.throws(() => processRssBytes(2 ** 30), /cannot read the memory of process 1073741824/);
    },
  );
});
