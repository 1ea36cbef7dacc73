import fs from 'node:fs';

/**
 * The unit of the CPU times in /proc: USER_HZ, which the kernel fixes at 100 on every
 * architecture Linux runs this on (x86, arm, arm64), whatever its internal tick rate.
 */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) of each thread of this process, in ms, by thread id. */
export type ThreadCpu = ReadonlyMap<number, number>;

/**
 * The user + system CPU time, in ms, of one `/proc/<pid>/task/<tid>/stat` line: its 14th and
 * 15th fields. The thread's name (2nd field, in parentheses) may hold spaces and parentheses,
 * so the fields are counted from the last ')'. Pure.
 * @throws Error for a text that is not such a line.
 */
export function statCpuMs(statText: string): number {
  const end = statText.lastIndexOf(')');
  const fields = statText
    .slice(end + 1)
    .trim()
    .split(/\s+/);
  // After the name: state (3rd field) ... utime (14th), stime (15th).
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (end < 0 || !Number.isInteger(utime) || !Number.isInteger(stime)) {
    throw new Error(`not a /proc stat line: ${JSON.stringify(statText.slice(0, 80))}`);
  }
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/**
 * The CPU time of every thread of this process so far, from /proc/self/task (Linux), or
 * undefined where there is no such folder. A thread that ends while it is read is left out.
 * Resolution 10 ms a thread: sum over seconds, not frames.
 */
export function readThreadCpu(): ThreadCpu | undefined {
  let tids: string[];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  const cpu = new Map<number, number>();
  for (const tid of tids) {
    try {
      cpu.set(Number(tid), statCpuMs(fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')));
    } catch {
      // Ended between the listing and the read.
    }
  }
  return cpu;
}

/** Where a timed block's CPU went, in ms (summed over its threads). */
export interface CpuSplit {
  /** Threads started for the block: the pipeline's inference thread and ONNX Runtime's. */
  readonly inference: number;
  /** The process's main thread: reading, scheduling, preprocessing, serialising, writing. */
  readonly main: number;
  /** Threads that were there before: libuv's pool (JPEG decoding, file I/O), V8's (GC). */
  readonly other: number;
}

/**
 * Splits the CPU spent between two readings by thread: `mainTid` is the main thread, threads
 * not in `before` (started for the block, e.g. a pipeline's inference worker) count as
 * inference, the rest as other. A thread that ended before `end` is missing from it and its
 * time is lost, so the block should keep its threads until the end reading. Pure.
 */
export function splitCpu(
  before: ReadonlySet<number>,
  start: ThreadCpu,
  end: ThreadCpu,
  mainTid: number,
): CpuSplit {
  let inference = 0;
  let main = 0;
  let other = 0;
  for (const [tid, ms] of end) {
    const spent = ms - (start.get(tid) ?? 0);
    if (tid === mainTid) main += spent;
    else if (before.has(tid)) other += spent;
    else inference += spent;
  }
  return { inference, main, other };
}
