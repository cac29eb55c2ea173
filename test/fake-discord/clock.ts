// The fake's own notion of "now": real time plus whatever a test skipped with advanceTime, so
// hour-long windows (publishing) can pass without waiting. Snowflakes and timestamps stay real.
export class Clock {
  private skipped = 0;

  now(): number {
    return Date.now() + this.skipped;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`fake Discord: cannot move the clock by ${ms} ms`);
    this.skipped += ms;
  }
}
