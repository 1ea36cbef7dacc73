import fs from 'node:fs';
import os from 'node:os';

/**
 * What ONNX Runtime's CPU kernels depend on: the processor model and its feature flags. MLAS
 * picks its integer GEMM by these flags (AVX2, AVX-VNNI, AVX-512 VNNI, AMX on x86; dot-product
 * and i8mm on ARM), so a timing or an output check made on one CPU says nothing about another.
 */
export interface CpuIdentity {
  /** e.g. "AMD EPYC 7B13" or "Cortex-A76"; the architecture when the OS does not say. */
  readonly model: string;
  /** Feature flags, sorted and without duplicates (x86 `flags`, ARM `Features`). */
  readonly flags: readonly string[];
  /**
   * Whether the CPU multiplies uint8 by int8 into int32 without an int16 step (x86 VNNI:
   * avx512_vnni or avx_vnni). Without it, ORT's u8s8 kernels (AVX2 pmaddubsw) add pairs of
   * products in saturating int16, so int8 weights can change results.
   */
  readonly vnni: boolean;
}

/**
 * Parses the text of /proc/cpuinfo (Linux): the first processor's model and flags. Pure, so it
 * is tested on captured texts of other machines.
 */
export function parseCpuInfo(text: string, fallbackModel: string): CpuIdentity {
  const field = (name: string): string | undefined => {
    const match = new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(text);
    return match?.[1]?.trim();
  };
  const model = field('model name') ?? field('Model') ?? field('Hardware') ?? fallbackModel;
  const flagText = field('flags') ?? field('Features') ?? '';
  const flags = [...new Set(flagText.split(/\s+/).filter((f) => f !== ''))].sort();
  return { model, flags, vnni: flags.includes('avx512_vnni') || flags.includes('avx_vnni') };
}

let cached: CpuIdentity | undefined;

/** This machine's CPU (read once per process). Without /proc/cpuinfo: os.cpus()'s model, no flags. */
export function cpuIdentity(): CpuIdentity {
  if (cached !== undefined) return cached;
  const fallback = os.cpus()[0]?.model ?? process.arch;
  let text = '';
  try {
    text = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // Not Linux: the model from the OS is all there is.
  }
  cached = parseCpuInfo(text, fallback);
  return cached;
}
