import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../support/paths.js';
import { photoPath } from './faceTestSupport.js';

const run = promisify(execFile);
const main = path.join(repoRoot, 'dist/src/main.js');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [main, ...args], { encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('mobilenet-ros faces enroll|list|remove', function () {
  this.timeout(120_000);
  let dir: string;
  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faces-cli-'));
  });
  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('enrols, lists and removes people with non-ASCII names; errors exit 2 with the reason', async function () {
    const gallery = path.join(dir, 'people', 'faces.json');
    const enrolled = await cli(
      'faces',
      'enroll',
      '--name',
      '王',
      '--gallery',
      gallery,
      photoPath('astronaut.jpg'),
    );
    assert.equal(enrolled.code, 0, enrolled.stderr);
    assert.match(enrolled.stdout, /enrolled 王 from 1 image\(s\) into .*faces\.json/);
    assert.equal(fs.statSync(gallery).mode & 0o777, 0o600);

    const duplicate = await cli(
      'faces',
      'enroll',
      '--name',
      '王',
      '--gallery',
      gallery,
      photoPath('camera.jpg'),
    );
    assert.equal(duplicate.code, 2);
    assert.match(duplicate.stderr, /王 is already enrolled in .*faces\.json/);

    const none = await cli(
      'faces',
      'enroll',
      '--name',
      'José',
      '--gallery',
      gallery,
      photoPath('coffee.jpg'),
    );
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no face found in .*coffee\.jpg/);

    const listed = await cli('faces', 'list', '--gallery', gallery);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^王\t1 image\(s\)\tenrolled \d{4}-/);

    assert.equal((await cli('faces', 'remove', '王', '--gallery', gallery)).code, 0);
    const missing = await cli('faces', 'remove', 'Zoë', '--gallery', gallery);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Zoë is not enrolled in .*; enrolled: nobody/);

    fs.writeFileSync(gallery, '{"format": "something else"}');
    const corrupt = await cli('faces', 'list', '--gallery', gallery);
    assert.equal(corrupt.code, 2);
    assert.match(corrupt.stderr, /face gallery .*faces\.json is corrupt/);
  });
});
