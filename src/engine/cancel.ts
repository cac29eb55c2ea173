/**
 * One fetch's cancel switch: what undici's request() and our own waits read of an AbortSignal
 * (aborted, reason, abort listeners), without an AbortController. Node's EventTarget costs a
 * poll of 505 unchanged feeds about as much CPU as our whole fetch code (measured: its listeners,
 * init and the compiling of them were ~10 % of a steady cycle).
 */
export interface AbortLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export class Cancel implements AbortLike {
  aborted = false;
  reason: unknown = undefined;
  private readonly listeners: Array<() => void> = [];

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    // One at a time, so that a listener removed by an earlier one is not called (as EventTarget does).
    for (let listener = this.listeners.shift(); listener; listener = this.listeners.shift()) listener();
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  // Every listener runs at most once, as with { once: true }: there is only one abort. One added
  // after it is never called, as an AbortSignal's is not.
  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted && !this.listeners.includes(listener)) this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.listeners.indexOf(listener);
    if (at >= 0) this.listeners.splice(at, 1);
  }
}
