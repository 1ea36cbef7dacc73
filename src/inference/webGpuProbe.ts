import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WebGpuChildAnswer } from './webGpuProbeChild.js';

/**
 * Whether ONNX Runtime's WebGPU provider gets an adapter here, found in a child process
 * (webGpuProbeChild.ts) so that a Vulkan driver that hangs or crashes cannot take the node with
 * it. Measured on a 2-core x86 machine without GPU or Vulkan loader (onnxruntime-node 1.30):
 * session creation throws after about 20 ms ("Failed to get a WebGPU adapter: No supported
 * adapters"), even with cpu after webgpu in the same session's provider list, so ORT does not
 * fall back by itself; Dawn writes "Couldn't load Vulkan: libvulkan.so.1: ..." to stderr once per
 * process; the first attempt adds one thread and about 17 MiB that later attempts do not grow.
 */
export type WebGpuProbe = WebGpuAdapterFound | WebGpuUnavailable;

export interface WebGpuAdapterFound {
  readonly available: true;
  /** Session creation on the adapter, ms (ORT's Node binding does not name the adapter). */
  readonly createMs: number;
  /** Vulkan driver manifests installed (ICD files), the closest this binding lets us get to "which adapter". */
  readonly vulkanDrivers: readonly string[];
  /** True when every installed Vulkan driver renders on the CPU (lavapipe, SwiftShader): the "GPU" is the CPU. */
  readonly softwareOnly: boolean;
}

export interface WebGpuUnavailable {
  readonly available: false;
  /** One line: what failed, with Dawn's own diagnosis when it gave one, and what to install. */
  readonly reason: string;
  readonly vulkanDrivers: readonly string[];
}

export interface WebGpuProbeOptions {
  /** How long the child may take before it is killed and WebGPU counted unavailable. Default 20000 ms. */
  timeoutMs?: number;
}

/** Where the Vulkan loader looks for driver manifests (Linux). */
const ICD_DIRS = ['/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d'];
const SOFTWARE_DRIVERS = /lvp|lavapipe|swiftshader|llvmpipe/i;

let cached: Promise<WebGpuProbe> | undefined;

/** The probe of this process: run once, on first use; later calls share its answer. */
export function webGpuProbe(options: WebGpuProbeOptions = {}): Promise<WebGpuProbe> {
  cached ??= runWebGpuProbe(options);
  return cached;
}

/** Runs a fresh probe (doctor and tests; webGpuProbe() caches one). Never rejects. */
export async function runWebGpuProbe(options: WebGpuProbeOptions = {}): Promise<WebGpuProbe> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new RangeError(`'timeoutMs' must be a positive integer, got ${timeoutMs}`);
  }
  const vulkanDrivers = listVulkanDrivers();
  const outcome = await runChild(timeoutMs);
  const answer = parseAnswer(outcome.stdout);
  if (answer?.ok === true) {
    return {
      available: true,
      createMs: answer.createMs,
      vulkanDrivers,
      softwareOnly:
        vulkanDrivers.length > 0 && vulkanDrivers.every((d) => SOFTWARE_DRIVERS.test(d)),
    };
  }
  const dawn = dawnWarnings(outcome.stderr);
  let reason: string;
  if (outcome.timedOut) {
    reason =
      `no answer from the WebGPU adapter request within ${timeoutMs} ms (probe process killed): ` +
      'a Vulkan driver that hangs, or a machine too busy to start the probe';
  } else if (answer !== undefined && !answer.ok) {
    reason = ortMessage(answer.error);
  } else {
    const how =
      outcome.signal !== null ? `killed by ${outcome.signal}` : `exit status ${outcome.code}`;
    const last = outcome.stderr.trim().split('\n').at(-1) ?? '';
    reason = `the WebGPU probe process ended without an answer (${how})${last === '' ? '' : `: ${last}`}`;
  }
  if (dawn.length > 0) reason += ` (Dawn: ${dawn.join('; ')})`;
  return { available: false, reason: `${reason}${fixHint(dawn, vulkanDrivers)}`, vulkanDrivers };
}

interface ChildOutcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
}

function runChild(timeoutMs: number): Promise<ChildOutcome> {
  const script = fileURLToPath(new URL('./webGpuProbeChild.js', import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal, timedOut });
    };
    child.on('error', (error) => {
      stderr += `${error.message}\n`;
      finish(null, null);
    });
    child.on('close', finish);
  });
}

function parseAnswer(stdout: string): WebGpuChildAnswer | undefined {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    const value = JSON.parse(line) as WebGpuChildAnswer;
    return typeof value === 'object' && value !== null && typeof value.ok === 'boolean'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * ORT's message without its source location and assertion text:
 * "/onnxruntime_src/.../webgpu_context.cc:136 ... was false. Failed to get a WebGPU adapter: No
 * supported adapters" becomes "Failed to get a WebGPU adapter: No supported adapters".
 */
export function ortMessage(message: string): string {
  const first = message.trim().split('\n')[0]?.trim() ?? '';
  const afterAssertion = / was false\. (.+)$/.exec(first)?.[1];
  return (afterAssertion ?? first).trim();
}

/** Dawn's "Warning: ..." lines (its diagnosis, e.g. a missing libvulkan.so.1), de-duplicated. */
function dawnWarnings(stderr: string): string[] {
  const found = [...stderr.matchAll(/Warning: (.+?)(?=Warning: |\n|$)/g)].map((m) =>
    (m[1] ?? '').trim(),
  );
  return [...new Set(found)].filter((w) => w !== '');
}

function fixHint(dawn: readonly string[], drivers: readonly string[]): string {
  if (dawn.some((w) => /libvulkan\.so/.test(w))) {
    return "; install the Vulkan loader (Debian/Ubuntu: libvulkan1) and the GPU's Vulkan driver";
  }
  if (drivers.length === 0 && process.platform === 'linux') {
    return `; no Vulkan driver manifest in ${ICD_DIRS.join(', ')}: install the GPU's Vulkan driver`;
  }
  return '';
}

function listVulkanDrivers(): string[] {
  if (process.platform !== 'linux') return [];
  return ICD_DIRS.flatMap((dir) => {
    try {
      return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => `${dir}/${f}`);
    } catch {
      return [];
    }
  });
}
