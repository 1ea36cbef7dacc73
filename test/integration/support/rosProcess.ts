import { spawn, type ChildProcess } from 'node:child_process';

// eslint-disable-next-line no-control-regex -- the escape character is what is matched
const ANSI_COLOUR = /\u001b\[[0-9;]*m/g;

/** How a process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A process of the real graph (`ros2 launch`, `ros2 bag play`, the node, the rclpy probe) in a
 * process group of its own, as a terminal would run it: stopped with a signal to the whole
 * group (Ctrl-C reaches launch and its nodes alike), its output kept line by line so a test can
 * wait for a line and show everything when it fails.
 */
export class RosProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  private exitValue: Exit | undefined;

  constructor(
    readonly label: string,
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(command, [...args], {
      env,
      detached: true, // its own process group; children do not inherit an ignored SIGINT
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let rest = '';
      stream?.on('data', (chunk: Buffer) => {
        const text = rest + chunk.toString();
        const parts = text.split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) this.take(line);
      });
      stream?.on('end', () => {
        if (rest !== '') this.take(rest);
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitValue = { code, signal };
        resolve(this.exitValue);
      });
      this.child.once('error', (error) => {
        this.take(`spawn failed: ${error.message}`);
        this.exitValue = { code: 127, signal: null };
        resolve(this.exitValue);
      });
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.label} did not start`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitValue === undefined;
  }

  /** The first line (already seen or still to come) that matches. */
  waitFor(pattern: RegExp, timeoutMs = 30000): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(
          new Error(
            `${this.label}: no line matching ${String(pattern)} within ${timeoutMs} ms${this.running ? '' : ' (it exited)'}\n${this.tail()}`,
          ),
        );
      }, timeoutMs);
      const done = (line: string): void => {
        clearTimeout(timer);
        resolve(line);
      };
      this.waiters.push({ pattern, resolve: done });
    });
  }

  /** Sends a signal to the whole process group; resolves with the exit and how long it took. */
  async stop(signal: NodeJS.Signals = 'SIGINT', timeoutMs = 10000): Promise<Exit & { ms: number }> {
    const started = performance.now();
    if (this.running) {
      try {
        process.kill(-this.pid, signal);
      } catch {
        // already gone
      }
    }
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), timeoutMs).unref(),
    );
    const result = await Promise.race([this.exited, timeout]);
    if (result === 'timeout') {
      this.kill();
      throw new Error(
        `${this.label} did not stop within ${timeoutMs} ms of ${signal}\n${this.tail()}`,
      );
    }
    return { ...result, ms: performance.now() - started };
  }

  /** Whether any process of its group is still alive (an orphan once the leader exited). */
  groupAlive(): boolean {
    try {
      process.kill(-this.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** SIGKILL to the group: the last resort in after-hooks. */
  kill(): void {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** The last lines of output, for failure messages. */
  tail(count = 40): string {
    return this.lines
      .slice(-count)
      .map((line) => `  [${this.label}] ${line}`)
      .join('\n');
  }

  private take(line: string): void {
    // Strip the colour codes of ROS's console output.
    const clean = line.replace(ANSI_COLOUR, '');
    this.lines.push(clean);
    for (const waiter of [...this.waiters]) {
      if (waiter.pattern.test(clean)) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(clean);
      }
    }
  }
}
