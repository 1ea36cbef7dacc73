import fs from 'node:fs';

/**
 * The resident set size in bytes from the text of `/proc/<pid>/status` (its `VmRSS:` line, in kB).
 * @throws Error when the text has no VmRSS line (a kernel thread, or not a status file).
 */
export function vmRssBytes(statusText: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(statusText);
  if (match === null) throw new Error(`no 'VmRSS: <n> kB' line in the process status`);
  return Number(match[1]) * 1024;
}

/**
 * The resident set size of another process, in bytes, from `/proc/<pid>/status` (Linux): the
 * memory of the node process itself, not of the benchmark that starts it.
 * @throws Error naming the pid when the process is gone or /proc is not there.
 */
export function processRssBytes(pid: number): number {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the memory of process ${pid} (/proc/${pid}/status)`, {
      cause: error,
    });
  }
  return vmRssBytes(text);
}
