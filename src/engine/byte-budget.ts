/**
 * How many bytes of feed documents the bot holds at once, from the first byte downloaded to the
 * end of their parse. One budget is shared by the fetches (a body's announced length is reserved
 * before it is read) and the parse pool (documents handed over and not yet parsed), so a cold
 * cycle with several 4 MB feeds downloads two of them while the rest wait for the parser,
 * instead of holding them all at once.
 *
 * Only a reservation with a known size waits, and it holds nothing while it waits; bytes already
 * in hand are counted without waiting. So the budget can run over by what arrives unannounced,
 * but it can never deadlock: whatever is counted is on its way to being released.
 */
import type { AbortLike } from './cancel.ts';

export interface Hold {
  /** More bytes arrived than were reserved: count them too. */
  add(bytes: number): void;
  /** Gives everything back; further calls do nothing. */
  release(): void;
}

interface Waiter {
  bytes: number;
  start: () => void;
}

export class ByteBudget {
  private used = 0;
  private readonly waiters: Waiter[] = [];
  private readonly roomWaiters: (() => void)[] = [];
  private opened = false;

  constructor(readonly max: number) {}

  /** Bytes counted now. */
  get inUse(): number {
    return this.used;
  }

  /** Counts bytes that are already in memory; never waits. */
  take(bytes: number): Hold {
    let held = Math.max(0, bytes);
    this.used += held;
    return {
      add: (more) => {
        if (held < 0 || more <= 0) return;
        held += more;
        this.used += more;
      },
      release: () => {
        if (held < 0) return;
        this.used -= held;
        held = -1;
        this.wake();
      },
    };
  }

  /**
   * Waits until `bytes` fit beside what is counted (or nothing is: a single document larger
   * than the budget still gets through, alone), then counts them. First come, first served,
   * so a big document is not overtaken forever by small ones.
   */
  reserve(bytes: number, signal?: AbortLike): Promise<Hold> {
    signal?.throwIfAborted();
    if (this.waiters.length === 0 && this.fits(bytes)) return Promise.resolve(this.take(bytes));
    return new Promise<Hold>((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(signal?.reason);
        this.wake();
      };
      const waiter: Waiter = {
        bytes,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.take(bytes));
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Resolves once the budget is not full: for a caller about to start something whose size it
   * does not know yet (a fetch, before it connects).
   */
  room(): Promise<void> {
    if (this.used < this.max || this.opened) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Lets every waiter through from now on: the bot is stopping and nothing must hang. */
  open(): void {
    this.opened = true;
    this.wake();
  }

  private fits(bytes: number): boolean {
    // A zero-byte reservation (a length nobody announced) still waits while the budget is full.
    return this.opened || this.used === 0 || (this.used < this.max && this.used + bytes <= this.max);
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.fits(this.waiters[0]!.bytes)) this.waiters.shift()!.start();
    while (this.roomWaiters.length > 0 && (this.used < this.max || this.opened)) this.roomWaiters.shift()!();
  }
}
