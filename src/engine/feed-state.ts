import type { FetchValidators } from './fetch.ts';

/** What the bot remembers about one feed between polls. */
export interface FeedState {
  validators?: FetchValidators;
  /** Set after the first successful poll; a feed without it is new and announces nothing. */
  initialized?: boolean;
  lastSuccess?: string;
  lastAttempt?: string;
  consecutiveFailures?: number;
  lastError?: string;
  /** Back-off after failures (ISO): the poll cycle skips the feed until about then. */
  nextAttemptAt?: string;
  /** The feed's server answered 429/503 with Retry-After: not fetched before this (ISO). */
  retryAfterUntil?: string;
  /** Too many failures in a row: only probed once a day until one succeeds (fetch-limiter.ts). */
  paused?: boolean;
  pausedAt?: string;
  pausedReason?: string;
}
