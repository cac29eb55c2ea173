/**
 * Whether the bot is doing its job, for a supervisor's health check: the store answers, Discord
 * is connected (or the bot runs in console mode), and, on the instance that polls, a poll
 * finished recently. Each failing part gives a reason an operator can read.
 */
import cron from 'node-cron';
import { humanDuration } from '../bot/text.ts';

/** However often POLL_CRON polls, a poll is not called stale sooner than this (a long poll of many feeds). */
export const MIN_STALE_AFTER_MS = 10 * 60_000;
/** A store that has not answered `select 1` by then is as good as down. */
export const STORE_TIMEOUT_MS = 5_000;

export interface HealthSources {
  now(): Date;
  /** A cheap query on the store; rejects when it fails. */
  probeStore(): Promise<unknown>;
  /** Undefined in console mode: there is no Discord to be connected to. */
  discordConnected?: () => boolean;
  isLeader(): boolean;
  /** When this instance last finished a poll cycle. */
  lastPollAt(): Date | undefined;
  /** When this instance last became the leader (or started, in a grace period before its first poll). */
  leadingSince(): Date | undefined;
  /** A poll older than this is stale (see staleAfterFor). */
  staleAfterMs: number;
  storeTimeoutMs?: number;
}

export interface HealthReport {
  ok: boolean;
  store: string;
  discord: 'connected' | 'not connected' | 'console mode';
  leader: boolean;
  lastPoll: string | null;
  /** Why it is not ok, one line each; empty when ok. */
  reasons: string[];
}

/** The longest gap between the schedule's next runs: a cron that polls hourly at night is judged by its night. */
function longestGapMs(pollCron: string): number {
  const task = cron.createTask(pollCron, () => undefined);
  try {
    const runs = task.getNextRuns(12).map((d) => d.getTime());
    return Math.max(0, ...runs.slice(1).map((t, i) => t - runs[i]!));
  } finally {
    void task.destroy();
  }
}

/** Three poll intervals (the longest of the schedule's), and never less than MIN_STALE_AFTER_MS. */
export function staleAfterFor(pollCron: string): number {
  return Math.max(MIN_STALE_AFTER_MS, 3 * longestGapMs(pollCron));
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms < 1000 ? `${ms} ms` : humanDuration(ms)}`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export async function checkHealth(sources: HealthSources): Promise<HealthReport> {
  const reasons: string[] = [];
  let store = 'ok';
  try {
    await withTimeout(sources.probeStore(), sources.storeTimeoutMs ?? STORE_TIMEOUT_MS);
  } catch (error) {
    store = `not answering: ${error instanceof Error ? error.message : String(error)}`;
    reasons.push(`store ${store}`);
  }
  const discord = !sources.discordConnected ? 'console mode' : sources.discordConnected() ? 'connected' : 'not connected';
  if (discord === 'not connected') reasons.push('Discord: the gateway is not connected');
  const leader = sources.isLeader();
  const last = sources.lastPollAt();
  // Only the leader polls: a follower's own last poll says nothing.
  if (leader) {
    const now = sources.now().getTime();
    const since = Math.max(last?.getTime() ?? 0, sources.leadingSince()?.getTime() ?? now);
    if (now - since > sources.staleAfterMs) {
      const limit = humanDuration(sources.staleAfterMs);
      reasons.push(last ? `last poll finished ${humanDuration(now - last.getTime())} ago (more than ${limit})` : `no poll finished in the ${humanDuration(now - since)} since this instance began polling (more than ${limit})`);
    }
  }
  return { ok: reasons.length === 0, store, discord, leader, lastPoll: last?.toISOString() ?? null, reasons };
}
