import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ALL_SETTINGS } from '../../src/config/settings/allSettings.js';
import { listSettings, type SettingEntry } from '../../src/config/settings/listSettings.js';
import type { Setting } from '../../src/config/settings/setting.js';
import { repoRoot } from '../support/paths.js';
import { configTableRows } from './support/configTable.js';
import {
  findSetting,
  isGroup,
  namesChoice,
  sameValue,
  saysDynamic,
  statesRange,
} from './support/documentedSettings.js';
import { paramsFileKeys } from './support/paramsFileKeys.js';

/**
 * config/params.yaml and the README's configuration table against the setting declarations
 * (src/config/settings): each failure names the key and what differs, so the documents cannot
 * drift from what the parser and the node accept.
 */
const entries = listSettings(ALL_SETTINGS);

/** Passes when nothing is wrong; otherwise fails listing every problem. */
function noProblems(problems: readonly string[]): void {
  if (problems.length > 0) assert.fail(`\n${problems.join('\n')}`);
}

/** What a setting's documentation must state about it, checked against `text`. */
function statementProblems(where: string, s: Setting, text: string): string[] {
  const problems: string[] = [];
  if ((s.kind === 'integer' || s.kind === 'double') && !statesRange(text, s.range))
    problems.push(`${where}: does not state the range [${s.range[0]}, ${s.range[1]}]`);
  for (const choice of s.kind === 'choice' ? s.choices : []) {
    if (!namesChoice(text, choice)) problems.push(`${where}: does not name the choice '${choice}'`);
  }
  if (saysDynamic(text) !== (s.dynamic ?? false))
    problems.push(`${where}: ${s.dynamic === true ? 'does not say' : 'says'} it is dynamic`);
  return problems;
}

describe('config/params.yaml against the setting declarations', () => {
  const file = path.join(repoRoot, 'config/params.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const keys = paramsFileKeys(text);

  it('every key is a declared setting or group (none extra)', () => {
    noProblems(
      keys
        .filter((k) =>
          k.value === '' ? !isGroup(entries, k.path) : findSetting(entries, k.path) === undefined,
        )
        .map((k) => `params.yaml:${k.line}: '${k.path.join('.')}' is not a declared setting`),
    );
  });

  it('every node parameter is there, set or commented out (none missing)', () => {
    const documented = keys.map((k) => findSetting(entries, k.path)?.path);
    noProblems(
      entries
        .filter((e) => e.setting.ros !== false && !documented.includes(e.path))
        .map((e) => `params.yaml: '${e.path}' is missing`),
    );
  });

  it('the values it sets are the declared defaults', () => {
    const problems: string[] = [];
    for (const key of keys.filter((k) => !k.commented && k.value !== '')) {
      const entry = findSetting(entries, key.path);
      if (entry === undefined) continue; // an extra key: reported above
      const declared = entry.setting.default;
      const value: unknown = YAML.parse(key.value);
      if (typeof declared === 'object' && declared !== null && 'compute' in declared)
        problems.push(
          `params.yaml:${key.line}: '${entry.path}' depends on the machine (${declared.shown}): comment it out`,
        );
      else if (!sameValue(value, declared))
        problems.push(
          `params.yaml:${key.line}: '${entry.path}' is ${JSON.stringify(value)}, the default is ${JSON.stringify(declared)}`,
        );
    }
    noProblems(problems);
  });

  it("its comments state each setting's range, choices and whether it is dynamic", () => {
    const problems: string[] = [];
    for (const key of keys.filter((k) => k.value !== '')) {
      const entry = findSetting(entries, key.path);
      if (entry === undefined || entry.setting.ros === false) continue;
      problems.push(
        ...statementProblems(
          `params.yaml:${key.line} '${key.path.join('.')}'`,
          entry.setting,
          `${key.value} ${key.comment}`,
        ),
      );
    }
    noProblems(problems);
  });
});

describe("the README's configuration table against the setting declarations", () => {
  const rows = configTableRows(fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8'));

  it('is there', () => {
    assert.ok(
      rows.length > 10,
      'README.md: a table under ## Configuration with columns key | default | meaning',
    );
  });

  it('every key is a declared setting (none extra)', () => {
    noProblems(
      rows.flatMap((row) =>
        [...row.keys, ...row.wildcards.map((w) => `${w}*`)]
          .filter((key) =>
            key.endsWith('.*')
              ? !isGroup(entries, key.slice(0, -2).split('.'))
              : findSetting(entries, key.split('.')) === undefined,
          )
          .map((key) => `README.md:${row.line}: '${key}' is not a declared setting`),
      ),
    );
  });

  it('every setting has a row (none missing)', () => {
    const covered = (e: SettingEntry): boolean =>
      rows.some(
        (row) =>
          row.keys.some((k) => findSetting(entries, k.split('.'))?.path === e.path) ||
          row.wildcards.some((w) => e.path.startsWith(w)),
      );
    noProblems(entries.filter((e) => !covered(e)).map((e) => `README.md: no row for '${e.path}'`));
  });

  it('its defaults are the declared ones', () => {
    const problems: string[] = [];
    for (const row of rows) {
      const values = [...row.defaultCell.matchAll(/`([^`]+)`/g)].map(([, v]) => v ?? '');
      const plain = row.defaultCell.replaceAll('`', '');
      row.keys.forEach((key, i) => {
        const entry = findSetting(entries, key.split('.'));
        if (entry === undefined) return;
        const s = entry.setting;
        const where = `README.md:${row.line}: '${key}'`;
        if (typeof s.default === 'object' && s.default !== null && 'compute' in s.default) {
          if (!plain.includes(s.default.shown))
            problems.push(
              `${where}: default should read '${s.default.shown}', got '${row.defaultCell}'`,
            );
        } else if (s.default === undefined) {
          const expected = s.required === true ? 'required' : (s.unset ?? '');
          if (!plain.includes(expected))
            problems.push(`${where}: default should read '${expected}', got '${row.defaultCell}'`);
        } else {
          const written = values.length === row.keys.length ? values[i] : values[0];
          const value: unknown = written === undefined ? undefined : YAML.parse(written);
          if (!sameValue(value, s.default))
            problems.push(
              `${where}: default ${JSON.stringify(value)}, declared ${JSON.stringify(s.default)}`,
            );
        }
      });
    }
    noProblems(problems);
  });

  it("its rows state each setting's range, choices, whether it is dynamic, and file-only ones", () => {
    const problems: string[] = [];
    for (const row of rows) {
      const text = `${row.defaultCell} ${row.meaning}`;
      const rowEntries = [
        ...row.keys.map((k) => findSetting(entries, k.split('.'))),
        ...row.wildcards.flatMap((w) => entries.filter((e) => e.path.startsWith(w))),
      ].filter((e): e is SettingEntry => e !== undefined);
      for (const entry of rowEntries) {
        const where = `README.md:${row.line} '${entry.path}'`;
        if (row.keys.length > 0) problems.push(...statementProblems(where, entry.setting, text));
        if ((entry.setting.ros === false) !== text.includes('config file only'))
          problems.push(
            `${where}: ${entry.setting.ros === false ? 'does not say' : 'says'} it is 'config file only' (no node parameter)`,
          );
      }
    }
    noProblems([...new Set(problems)]);
  });
});
