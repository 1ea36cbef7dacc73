import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chooseModelForm, formatModelFormChoice } from '../../src/detection/modelFormChoice.js';
import { cpuIdentity } from '../../src/inference/cpuIdentity.js';
import { modelsDir } from '../support/paths.js';

/**
 * `detector.model_form: auto` on the real models: it refuses qdq_s8 where its outputs differ from
 * qdq (a CPU without VNNI, as this VM's AMD EPYC), times the forms, caches the choice, and
 * measures again when what the choice depends on changes.
 */
describe('chooseModelForm (detector.model_form: auto)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-form-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const choose = (
    cacheFile: string,
    threads = 1,
    extra: Partial<Parameters<typeof chooseModelForm>[0]> = {},
  ) =>
    chooseModelForm({
      modelsDir,
      session: { intraOpThreads: threads, spinWait: false },
      cacheFile,
      budgetMs: 200,
      ...extra,
    });

  it('times the integer forms, refuses one whose outputs differ here, and caches the choice', async () => {
    const cacheFile = path.join(dir, 'nested', 'model-form.json');
    const first = await choose(cacheFile);
    assert.equal(first.source, 'timed');
    assert.deepEqual(Object.keys(first.times).sort(), ['qdq', 'qdq_s8']);
    for (const t of Object.values(first.times)) {
      assert.ok(
        t.rounds >= 4 && t.minMs > 0 && t.minMs <= t.medianMs && t.medianMs <= t.maxMs,
        JSON.stringify(t),
      );
    }
    if (cpuIdentity().vnni) {
      assert.deepEqual(first.rejected, {});
    } else {
      assert.equal(first.form, 'qdq');
      assert.match(
        first.rejected.qdq_s8 ?? '',
        /^outputs differ from qdq on this CPU \(max abs difference box_encodings [\d.]+.*\); it has no VNNI/,
      );
    }
    assert.match(
      formatModelFormChoice(first),
      new RegExp(
        `^detector\\.model_form auto: ${first.form} \\(qdq [\\d.]+ ms \\[[\\d.]+-[\\d.]+\\], qdq_s8 [\\d.]+ ms .*timed now, cached in ${cacheFile.replace(/[.]/g, '\\.')}\\)$`,
      ),
    );

    const again = await choose(cacheFile);
    assert.equal(again.source, 'cache');
    assert.equal(again.form, first.form);
    assert.deepEqual(again.times, first.times);
    assert.match(formatModelFormChoice(again), /; from .*model-form\.json\)$/);
  });

  it('measures again for other thread settings or another CPU, keeping each choice', async () => {
    const cacheFile = path.join(dir, 'model-form.json');
    assert.equal((await choose(cacheFile, 1)).source, 'timed');
    assert.equal((await choose(cacheFile, 2)).source, 'timed');
    const here = cpuIdentity();
    const vnniCpu = { model: here.model, flags: [...here.flags, 'avx512_vnni'].sort(), vnni: true };
    assert.equal((await choose(cacheFile, 1, { cpu: vnniCpu })).source, 'timed');
    // All three stay cached side by side.
    assert.equal((await choose(cacheFile, 1)).source, 'cache');
    assert.equal((await choose(cacheFile, 2)).source, 'cache');
    assert.equal((await choose(cacheFile, 1, { cpu: vnniCpu })).source, 'cache');
    const stored = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as {
      entries: Record<string, unknown>;
    };
    assert.equal(Object.keys(stored.entries).length, 3);
  });

  it('measures again when the cache is damaged, and still chooses when it cannot be written', async () => {
    const cacheFile = path.join(dir, 'model-form.json');
    fs.writeFileSync(cacheFile, '{ not json');
    assert.equal((await choose(cacheFile)).source, 'timed');
    assert.equal((await choose(cacheFile)).source, 'cache');
    // A file where the cache folder should be: the choice stands, the line says it is not cached.
    const blocked = path.join(dir, 'model-form.json', 'model-form.json');
    const choice = await choose(blocked);
    assert.equal(choice.source, 'timed');
    assert.match(choice.note ?? '', /^not cached: /);
    assert.doesNotMatch(formatModelFormChoice(choice), /cached in/);
  });

  it('takes float without timing when the detector runs on a GPU provider first', async () => {
    const choice = await chooseModelForm({
      modelsDir,
      session: { intraOpThreads: 1, providers: [{ kind: 'cuda', deviceId: 0 }, { kind: 'cpu' }] },
      cacheFile: path.join(dir, 'model-form.json'),
    });
    assert.equal(choice.form, 'float');
    assert.equal(choice.source, 'fixed');
    assert.match(
      formatModelFormChoice(choice),
      /^detector\.model_form auto: float \(the detector's providers start with cuda: .*; not timed\)$/,
    );
    assert.equal(fs.existsSync(path.join(dir, 'model-form.json')), false);
  });
});
