import { GroupProcess, type CloseOptions, type GroupProcessOptions } from './groupProcess.js';

/** Thrown (through {@link ProcessScope.race}) when SIGINT or SIGTERM arrived while the scope was open. */
export class InterruptedError extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = 'InterruptedError';
  }
}

/** Options of {@link ProcessScope.open}. */
export interface ProcessScopeOptions {
  /** How children are stopped by close(). Default: SIGINT, SIGKILL after 8 s. */
  readonly close?: CloseOptions;
}

/**
 * Owns the child process groups a command starts and stops them on every way out:
 * - `close()` in the command's finally block (children stopped in reverse start order);
 * - SIGINT/SIGTERM to this process: `interrupted` rejects, so that work raced against it
 *   unwinds into that finally block; a second signal kills every group and exits at once;
 * - process exit (an uncaught error, process.exit): SIGKILL to every group still there.
 *
 * While open, SIGINT no longer ends this process by itself: the owner must race its waits.
 */
export class ProcessScope {
  readonly #children = new Set<GroupProcess>();
  readonly #controller = new AbortController();
  readonly #closeOptions: CloseOptions;
  readonly interrupted: Promise<never>;
  #reject: (error: InterruptedError) => void = () => undefined;
  #closing: Promise<void> | undefined;
  readonly #onSignal = (signal: NodeJS.Signals): void => {
    if (this.#controller.signal.aborted) {
      // Second Ctrl-C: no more waiting.
      this.#killAll();
      process.exit(130);
    }
    const error = new InterruptedError(signal);
    this.#controller.abort(error);
    this.#reject(error);
  };
  readonly #onExit = (): void => this.#killAll();

  private constructor(options: ProcessScopeOptions) {
    this.#closeOptions = options.close ?? {};
    this.interrupted = new Promise<never>((_resolve, reject) => (this.#reject = reject));
    // Nobody may be racing at the moment of the signal; that is not an unhandled rejection.
    this.interrupted.catch(() => undefined);
    process.on('SIGINT', this.#onSignal);
    process.on('SIGTERM', this.#onSignal);
    process.on('exit', this.#onExit);
  }

  /** Opens a scope; the caller must `close()` it (in a finally block). */
  static open(options: ProcessScopeOptions = {}): ProcessScope {
    return new ProcessScope(options);
  }

  /** Aborted on SIGINT/SIGTERM, for APIs that take an AbortSignal (e.g. runReplay). */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Starts a child in a process group of its own, owned by this scope (GroupProcess.start). */
  async start(
    command: string,
    args: readonly string[],
    options: GroupProcessOptions,
  ): Promise<GroupProcess> {
    this.throwIfInterrupted();
    if (this.#closing !== undefined) throw new Error(`cannot start ${options.name}: scope closed`);
    const child = await GroupProcess.start(command, args, options);
    this.#children.add(child);
    return child;
  }

  /** `work`, unless SIGINT/SIGTERM comes first: then rejects with InterruptedError. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.interrupted]);
  }

  /** @throws InterruptedError when a signal has arrived. */
  throwIfInterrupted(): void {
    const reason: unknown = this.#controller.signal.reason;
    if (this.#controller.signal.aborted && reason instanceof InterruptedError) throw reason;
  }

  /** Stops one child now and forgets it (idempotent). */
  async stop(child: GroupProcess): Promise<void> {
    await child.close(this.#closeOptions);
    this.#children.delete(child);
  }

  /** Stops every child, newest first, and removes the signal handlers. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        for (const child of [...this.#children].reverse()) await this.stop(child);
      } finally {
        process.off('SIGINT', this.#onSignal);
        process.off('SIGTERM', this.#onSignal);
        process.off('exit', this.#onExit);
      }
    })();
    return this.#closing;
  }

  #killAll(): void {
    for (const child of this.#children) child.killNow();
  }
}
