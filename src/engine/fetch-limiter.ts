/**
 * Polite fetching: a cap on fetches in flight overall and per host (FIFO, so no feed starves),
 * and what each feed's failures mean for when it is fetched next — Retry-After on 429/503,
 * exponential back-off otherwise, and a pause after many failures in a row.
 *
 * A paused feed is probed once a day (`probeEveryMs`); the first probe that succeeds resumes it
 * with a clean slate, so nobody has to notice the site came back. `resumeNow` clears a pause at
 * once, for a moderator action.
 */
import type { ByteBudget } from './byte-budget.ts';
import { describeError, FeedError, FeedHttpError } from './errors.ts';
import { fetchFeed, type FetchOptions, type FetchResult } from './fetch.ts';
import type { FeedState } from './feed-state.ts';

export interface FetchLimiterOptions {
  /** Fetches in flight at once, all hosts together. Default 16. */
  concurrency?: number;
  /** Fetches in flight at once to one host. Default 2. */
  perHost?: number;
  /** The fetch being limited; tests substitute one. */
  fetch?: typeof fetchFeed;
  /** The bot's clock, which a Retry-After in seconds counts from. */
  clock?: () => Date;
  /**
   * Bytes of documents held at once, shared with the parse pool (its `budget`). A fetch that has
   * its slot waits for room before it connects, then reserves its body's announced length before
   * reading it: while parsing is behind, fetches wait instead of bodies piling up in memory.
   */
  budget?: ByteBudget;
}

interface Waiter {
  host: string | undefined;
  start: () => void;
}

const RETRY_STATUSES = new Set([429, 503]);

export class FetchLimiter {
  readonly concurrency: number;
  readonly perHost: number;
  private readonly inner: typeof fetchFeed;
  private readonly clock: () => Date;
  private readonly budget: ByteBudget | undefined;
  private active = 0;
  private readonly activePerHost = new Map<string, number>();
  private readonly queue: Waiter[] = [];
  /** Hosts that answered 429/503 with Retry-After: none of their feeds is fetched before then. */
  private readonly hostNotBefore = new Map<string, number>();

  constructor(options: FetchLimiterOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? 16);
    this.perHost = Math.max(1, options.perHost ?? 2);
    this.inner = options.fetch ?? fetchFeed;
    this.clock = options.clock ?? (() => new Date());
    this.budget = options.budget;
  }

  /** fetchFeed under the limits; same arguments, results and errors. */
  readonly fetch = async (source: string, options: FetchOptions = {}): Promise<FetchResult> => {
    const host = hostOf(source);
    await this.acquire(host, options.signal);
    try {
      if (!this.budget) return await this.inner(source, options);
      await this.budget.room();
      return await this.inner(source, { ...options, budget: this.budget });
    } catch (error) {
      this.noteRetryAfter(error, source);
      throw error;
    } finally {
      this.release(host);
    }
  };

  /** The time before which the feed's host asked not to be fetched, if still ahead. */
  hostWaitUntil(source: string, now: Date): Date | undefined {
    const host = hostOf(source);
    const until = host ? this.hostNotBefore.get(host) : undefined;
    return until !== undefined && until > now.getTime() ? new Date(until) : undefined;
  }

  /** Fetches running and waiting, for logs and tests. */
  stats(): { active: number; queued: number } {
    return { active: this.active, queued: this.queue.length };
  }

  private canStart(host: string | undefined): boolean {
    return this.active < this.concurrency && (host === undefined || (this.activePerHost.get(host) ?? 0) < this.perHost);
  }

  private take(host: string | undefined): void {
    this.active++;
    if (host !== undefined) this.activePerHost.set(host, (this.activePerHost.get(host) ?? 0) + 1);
  }

  private acquire(host: string | undefined, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    // Every release drains what it can, so whoever still waits is blocked on a full host or on
    // the global cap: a newcomer that can start overtakes no one who could.
    if (this.canStart(host)) {
      this.take(host);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = this.queue.indexOf(waiter);
        if (at >= 0) this.queue.splice(at, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        host,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(host: string | undefined): void {
    this.active--;
    if (host !== undefined) {
      const left = (this.activePerHost.get(host) ?? 1) - 1;
      if (left > 0) this.activePerHost.set(host, left);
      else this.activePerHost.delete(host);
    }
    // Oldest first; a waiter whose host is at its limit lets later waiters for other hosts by.
    for (let i = 0; i < this.queue.length && this.active < this.concurrency; ) {
      const waiter = this.queue[i]!;
      if (!this.canStart(waiter.host)) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.take(waiter.host);
      waiter.start();
    }
  }

  private noteRetryAfter(error: unknown, source: string): void {
    const until = retryAfterOf(error, this.clock());
    if (!until) return;
    const answeredBy = error instanceof FeedHttpError && error.url ? hostOf(error.url) : undefined;
    const now = this.clock().getTime();
    // A server naming next year must not shut out its host's other feeds until a restart.
    const hostUntil = Math.min(until.getTime(), now + DEFAULT_POLITENESS.maxRetryAfterMs);
    for (const [host, at] of this.hostNotBefore) if (at <= now) this.hostNotBefore.delete(host);
    for (const host of new Set([hostOf(source), answeredBy])) {
      if (host && hostUntil > (this.hostNotBefore.get(host) ?? 0)) this.hostNotBefore.set(host, hostUntil);
    }
  }
}

/** Local files have no host to be polite to: only the global limit applies to them. */
function hostOf(source: string): string | undefined {
  try {
    const url = new URL(source);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : undefined;
  } catch {
    return undefined;
  }
}

/** The time a 429/503's Retry-After named, if the failure was one that carried it. */
export function retryAfterOf(error: unknown, now: Date): Date | undefined {
  if (!(error instanceof FeedHttpError) || !RETRY_STATUSES.has(error.status) || !error.retryAfter) return undefined;
  return parseRetryAfter(error.retryAfter, now);
}

/** Retry-After is delay-seconds or an HTTP date (RFC 9110 §10.2.3); anything else is ignored. */
export function parseRetryAfter(value: string, now: Date): Date | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return new Date(now.getTime() + Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : new Date(at);
}

// ---- When a feed is fetched next -----------------------------------------------------------------

export interface Politeness {
  /** First back-off; doubles with each failure in a row. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures in a row that pause a feed. */
  pauseAfter: number;
  /** How often a paused feed is tried. */
  probeEveryMs: number;
  /** A Retry-After further away than this is shortened to it. */
  maxRetryAfterMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_POLITENESS: Politeness = {
  baseDelayMs: MINUTE,
  maxDelayMs: 6 * HOUR,
  pauseAfter: 10,
  probeEveryMs: 24 * HOUR,
  maxRetryAfterMs: 24 * HOUR,
};

/**
 * Polls run on a schedule; a back-off ending seconds after a cycle starts would otherwise cost
 * a whole extra cycle. Never applied to Retry-After, which the server set.
 */
const DUE_SLACK_MS = 30_000;

/** 1 min, 2 min, 4 min … up to the cap, for failures 1, 2, 3 … */
export function backoffMs(failures: number, politeness: Politeness = DEFAULT_POLITENESS): number {
  return Math.min(politeness.maxDelayMs, politeness.baseDelayMs * 2 ** Math.max(0, Math.min(failures - 1, 40)));
}

/** Whether a feed should be fetched in a cycle starting `now`. */
export function isDue(state: FeedState | undefined, now: Date): boolean {
  if (state?.retryAfterUntil && now.getTime() < Date.parse(state.retryAfterUntil)) return false;
  if (!state?.nextAttemptAt) return true;
  return Date.parse(state.nextAttemptAt) - now.getTime() <= DUE_SLACK_MS;
}

/** The fields that hold a feed back; a success clears them all. */
export function clearHoldBack(state: FeedState): FeedState {
  const { nextAttemptAt: _next, retryAfterUntil: _retry, paused: _paused, pausedAt: _at, pausedReason: _reason, ...rest } = state;
  return rest;
}

/** A moderator resuming a paused feed: it is fetched in the next cycle, failures forgotten. */
export function resumeNow(state: FeedState): FeedState {
  return { ...clearHoldBack(state), consecutiveFailures: 0 };
}

/**
 * The state after a failed poll: failure count, reason, when to try next, perhaps paused. Only
 * the feed's own failures (a FeedError: fetch, HTTP, parse) hold it back; the bot's own trouble
 * (the store down, shutting down) is recorded but must not cost a healthy feed its next poll.
 */
export function afterFailure(previous: FeedState, error: unknown, now: Date, options: { politeness?: Partial<Politeness> } = {}): FeedState {
  const policy = { ...DEFAULT_POLITENESS, ...options.politeness };
  const failures = (previous.consecutiveFailures ?? 0) + 1;
  const reason = describeError(error);
  if (!(error instanceof FeedError)) return { ...previous, lastAttempt: now.toISOString(), consecutiveFailures: failures, lastError: reason };
  const state: FeedState = { ...clearHoldBack(previous), lastAttempt: now.toISOString(), consecutiveFailures: failures, lastError: reason };
  let next = now.getTime() + backoffMs(failures, policy);
  const asked = retryAfterOf(error, now)?.getTime();
  if (asked !== undefined && asked > now.getTime()) {
    const until = Math.min(asked, now.getTime() + policy.maxRetryAfterMs);
    state.retryAfterUntil = new Date(until).toISOString();
    next = Math.max(next, until);
  }
  if (previous.paused || failures >= policy.pauseAfter) {
    state.paused = true;
    state.pausedAt = previous.pausedAt ?? now.toISOString();
    state.pausedReason = `${failures} failures in a row, last: ${reason}`;
    next = Math.max(next, now.getTime() + policy.probeEveryMs);
  }
  state.nextAttemptAt = new Date(next).toISOString();
  return state;
}
