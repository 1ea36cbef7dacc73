import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DetectorFileForm } from '../config/detectorConfig.js';

/**
 * Everything a measured choice of detector form depends on. A cached choice is used only when
 * every field is equal: another model file, onnxruntime version, CPU (model or flags), thread
 * count or spin setting measures again.
 */
export interface ModelFormCacheKey {
  readonly model: string;
  /** sha256 of each candidate form's file (the manifest's pins, checked when the file loads). */
  readonly files: Readonly<Partial<Record<DetectorFileForm, string>>>;
  readonly onnxruntime: string;
  readonly cpuModel: string;
  /** sha256 of the CPU's sorted feature flags (the list itself is long). */
  readonly cpuFlags: string;
  readonly threads: number;
  readonly spinWait: boolean;
  readonly thread: 'worker' | 'main';
}

/** One form's timing as cached and reported (ms per run; median, min, max of round means). */
export interface FormTiming {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly rounds: number;
}

/** A measured choice, stored under its key. */
export interface CachedFormChoice {
  readonly key: ModelFormCacheKey;
  readonly form: DetectorFileForm;
  readonly times: Readonly<Partial<Record<DetectorFileForm, FormTiming>>>;
  /** Forms left out, with why (e.g. outputs that differ from the reference form on this CPU). */
  readonly rejected: Readonly<Partial<Record<DetectorFileForm, string>>>;
  /** ISO time of the measurement. */
  readonly measuredAt: string;
}

interface CacheFile {
  readonly formatVersion: 1;
  readonly entries: Record<string, CachedFormChoice>;
}

/** Entries kept: a board sees few configurations; the oldest go first. */
const MAX_ENTRIES = 32;

/** `$XDG_CACHE_HOME/mobilenet-ros/model-form.json`, else `~/.cache/mobilenet-ros/model-form.json`. */
export function defaultModelFormCacheFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'mobilenet-ros', 'model-form.json');
}

/** sha256 of the flags, so that the key stays short. */
export function flagsDigest(flags: readonly string[]): string {
  return createHash('sha256').update(flags.join(' ')).digest('hex').slice(0, 16);
}

function keyId(key: ModelFormCacheKey): string {
  return createHash('sha256').update(canonical(key)).digest('hex');
}

/** JSON with sorted object keys, so that equal keys are equal strings. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The cached choice for exactly this key, or undefined (no file, another key, or a file that is
 * not ours: a damaged cache only costs a new measurement).
 */
export function readCachedFormChoice(
  file: string,
  key: ModelFormCacheKey,
): CachedFormChoice | undefined {
  const entry = readCache(file).entries[keyId(key)];
  return entry !== undefined && canonical(entry.key) === canonical(key) ? entry : undefined;
}

/**
 * Stores a choice under its key, beside those of other keys (written to a temporary file, then
 * renamed, so that concurrent writers never leave half a file).
 *
 * @throws the file system's error when the folder cannot be created or written
 */
export function writeCachedFormChoice(file: string, choice: CachedFormChoice): void {
  const entries = { ...readCache(file).entries, [keyId(choice.key)]: choice };
  const kept = Object.entries(entries)
    .sort(([, a], [, b]) =>
      a.measuredAt < b.measuredAt ? 1 : a.measuredAt > b.measuredAt ? -1 : 0,
    )
    .slice(0, MAX_ENTRIES);
  const content: CacheFile = { formatVersion: 1, entries: Object.fromEntries(kept) };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

function readCache(file: string): CacheFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CacheFile>;
    if (
      parsed.formatVersion === 1 &&
      typeof parsed.entries === 'object' &&
      parsed.entries !== null
    ) {
      return { formatVersion: 1, entries: parsed.entries };
    }
  } catch {
    // Missing or unreadable: measure again.
  }
  return { formatVersion: 1, entries: {} };
}
