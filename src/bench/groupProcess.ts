import { spawn, type ChildProcess } from 'node:child_process';

/** Options of {@link GroupProcess.start}. */
export interface GroupProcessOptions {
  /** What the process is, for errors and logs (e.g. 'ros2 bag play'). */
  readonly name: string;
  /** Environment. Default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Called with each complete line the process writes to stdout. */
  readonly onStdoutLine?: (line: string) => void;
  /** Called with each complete line the process writes to stderr. */
  readonly onStderrLine?: (line: string) => void;
  /** Characters of stdout and stderr kept for error messages. Default 4000. */
  readonly tailChars?: number;
}

/** How a process ended. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Options of {@link GroupProcess.close}. */
export interface CloseOptions {
  /** Sent to the process group first. Default SIGINT (what Ctrl-C sends; ROS 2 tools stop cleanly on it). */
  readonly signal?: NodeJS.Signals;
  /** Milliseconds to wait for the process to exit before SIGKILL to the group. Default 8000. */
  readonly graceMs?: number;
}

/**
 * A child process in a process group of its own (spawned `detached`), so that it and anything
 * it starts can be signalled together: `ros2 bag play` and `ros2 run` forward no signal to what
 * they start, and a detached child does not get the terminal's Ctrl-C, so its owner must stop it.
 *
 * `close()` is idempotent: SIGINT to the group, SIGKILL to the group after a grace period, and
 * SIGKILL to members left behind once the leader has exited. `killNow()` is the synchronous
 * last resort for `process.on('exit')`.
 */
export class GroupProcess {
  readonly pid: number;
  readonly name: string;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitStatus>;
  #status: ExitStatus | undefined;
  #tail = '';
  readonly #tailChars: number;
  #closing: Promise<ExitStatus> | undefined;

  private constructor(child: ChildProcess, pid: number, options: GroupProcessOptions) {
    this.pid = pid;
    this.name = options.name;
    this.#tailChars = options.tailChars ?? 4000;
    this.exited = new Promise<ExitStatus>((resolve) => {
      child.once('exit', (code, signal) => {
        this.#status = { code, signal };
        resolve(this.#status);
      });
    });
    this.#follow(child.stdout, options.onStdoutLine);
    this.#follow(child.stderr, options.onStderrLine);
  }

  /**
   * Starts `command args` in a new process group, stdin closed, stdout and stderr piped.
   * @throws Error naming the process and the command when it cannot be started (e.g. ENOENT:
   *   not on PATH).
   */
  static async start(
    command: string,
    args: readonly string[],
    options: GroupProcessOptions,
  ): Promise<GroupProcess> {
    const child = spawn(command, args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) =>
        reject(
          new Error(`could not start ${options.name} (\`${command}\`): ${error.message}`, {
            cause: error,
          }),
        ),
      );
    });
    // A later 'error' (a failed kill) must not crash the process: kills are checked where sent.
    child.on('error', () => undefined);
    if (child.pid === undefined) throw new Error(`could not start ${options.name}: no pid`);
    return new GroupProcess(child, child.pid, options);
  }

  /** Whether the process has not exited yet. */
  get running(): boolean {
    return this.#status === undefined;
  }

  /** The last characters the process wrote (stdout and stderr interleaved), for error messages. */
  tail(): string {
    return this.#tail.trim();
  }

  /**
   * Waits for the process to exit by itself.
   * @throws Error with its output's tail when it exits with a status other than 0 or by a signal.
   */
  async succeeded(): Promise<void> {
    const status = await this.exited;
    if (status.code !== 0)
      throw new Error(`${this.name} failed (${describeExit(status)})${this.#tailText()}`);
  }

  /** Stops the process and its group (idempotent): see the class comment. Resolves with how it ended. */
  close(options: CloseOptions = {}): Promise<ExitStatus> {
    this.#closing ??= this.#close(options.signal ?? 'SIGINT', options.graceMs ?? 8000);
    return this.#closing;
  }

  /** SIGKILL to the whole group, now (for exit handlers, where nothing can be awaited). */
  killNow(): void {
    signalGroup(this.pid, 'SIGKILL');
  }

  async #close(signal: NodeJS.Signals, graceMs: number): Promise<ExitStatus> {
    if (this.running) {
      signalGroup(this.pid, signal);
      if (!(await within(this.exited, graceMs))) {
        signalGroup(this.pid, 'SIGKILL');
        await within(this.exited, 5000);
      }
    }
    // Members of the group may outlive its leader (a child that ignored or never got the signal).
    if (groupAlive(this.pid)) {
      signalGroup(this.pid, 'SIGKILL');
      // Gone once their new parent has reaped them: moments later.
      for (let i = 0; i < 100 && groupAlive(this.pid); i++) await sleep(20);
    }
    return this.#status ?? { code: null, signal: 'SIGKILL' };
  }

  #follow(
    stream: NodeJS.ReadableStream | null,
    onLine: ((line: string) => void) | undefined,
  ): void {
    if (stream === null) return;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.#tail = (this.#tail + chunk).slice(-this.#tailChars);
      if (onLine === undefined) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  }

  #tailText(): string {
    const tail = this.tail();
    return tail === '' ? '' : `; its last output:\n${tail}`;
  }
}

/** "exit status 1" or "killed by SIGKILL". */
export function describeExit(status: ExitStatus): string {
  return status.signal !== null ? `killed by ${status.signal}` : `exit status ${status.code}`;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** Whether any process of the group led by `pid` is still alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `promise` settled within `ms` (it is not cancelled either way). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
