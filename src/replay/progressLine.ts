/** A one-line progress display on a terminal; silent when the stream is not a TTY. */
export class ProgressLine {
  private lastDraw = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly total: number,
  ) {}

  update(done: number, framesPerSecond: number): void {
    if (!this.stream.isTTY) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && done < this.total) return;
    this.lastDraw = now;
    const width = 30;
    const fraction = this.total > 0 ? Math.min(done / this.total, 1) : 0;
    const filled = Math.round(fraction * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    this.stream.write(
      `\r[${bar}] ${done}/${this.total} frames  ${framesPerSecond.toFixed(1)} fps `,
    );
  }

  done(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
