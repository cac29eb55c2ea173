/**
 * Waiting out a busy database without blocking the event loop. better-sqlite3 waits for a lock
 * synchronously (its busy timeout freezes every command and the Discord heartbeat), so the
 * store sets a short one and retries here instead, asynchronously, with growing delays.
 */
import { StoreError, errorCode } from './errors.ts';

/** How long a busy database is waited for before the operation fails with a StoreError. */
export const BUSY_DEADLINE_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 5 ms, 8 ms, 13 ms … at most 250 ms, each ±50% so racing processes drift apart. */
export function retryDelay(attempt: number): number {
  const base = Math.min(250, 5 * 1.6 ** attempt);
  return Math.round(base * (0.5 + Math.random()));
}

/**
 * Runs `work` until it succeeds, fails with an error `retryable` rejects, or `deadlineMs` has
 * passed since the first try (then a StoreError with the last error as its cause).
 */
export async function retrying<T>(
  work: () => Promise<T>,
  retryable: (error: unknown) => boolean,
  options: { deadlineMs: number; what: string },
): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!retryable(error)) throw error;
      if (Date.now() - started >= options.deadlineMs) {
        const code = errorCode(error);
        throw new StoreError(`${options.what}: the database stayed busy for ${Math.round(options.deadlineMs / 1000)} s (${code ?? 'busy'})`, { code, attempts: attempt + 1 }, { cause: error });
      }
      await sleep(retryDelay(attempt));
    }
  }
}
