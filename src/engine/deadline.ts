/**
 * The fetch's total time limit. It stands still while the fetch waits for the byte budget:
 * that wait is our parser being behind, not the server being slow.
 */
export class Deadline {
  private left: number;
  private since = 0;
  private timer: NodeJS.Timeout | undefined;
  private cleared = false;

  constructor(ms: number, private readonly expire: () => void) {
    this.left = ms;
    this.arm();
  }

  async paused<T>(work: Promise<T>): Promise<T> {
    clearTimeout(this.timer);
    this.left -= performance.now() - this.since;
    try {
      return await work;
    } finally {
      if (!this.cleared) this.arm();
    }
  }

  clear(): void {
    this.cleared = true;
    clearTimeout(this.timer);
  }

  private arm(): void {
    this.since = performance.now();
    this.timer = setTimeout(this.expire, Math.max(0, this.left));
  }
}
