import fs from 'node:fs';

/**
 * How many file descriptors another process has open, from `/proc/<pid>/fd` (Linux): sockets,
 * files, pipes, timers. Flat over a long run means nothing leaks a handle per message.
 * @throws Error naming the pid when the process is gone or /proc is not there.
 */
export function processFdCount(pid: number): number {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
  } catch (error) {
    throw new Error(`cannot list the open files of process ${pid} (/proc/${pid}/fd)`, {
      cause: error,
    });
  }
}
