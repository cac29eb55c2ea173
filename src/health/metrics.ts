/**
 * The bot's Prometheus metrics, on a Registry of its own (never prom-client's global one: two
 * bots in one process, as in tests, must not share counters). Counters move as the poll cycle
 * reports; the outbox gauges and "leads" are read from the store and the lease when scraped.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CycleResult } from '../bot/cycle.ts';
import type { OutboxCounts } from '../store/sql/outbox.ts';

/** What the gauges read on each scrape. */
export interface MetricSources {
  outboxCounts(): Promise<OutboxCounts>;
  isLeader(): boolean;
  /** Undefined in console mode (no Discord). */
  discordConnected?: () => boolean;
  /** Failures reading the store on a scrape go here; the scrape still answers, with alita_store_up 0. */
  onScrapeError?: (error: unknown) => void;
}

export interface BotMetrics {
  registry: Registry;
  /** After each poll cycle this instance ran, `at` being when it finished. */
  pollFinished(result: CycleResult, at: Date): void;
  /** An outbox entry reached Discord (or the console) `waitedMs` after it was queued. */
  delivered(waitedMs: number): void;
  /** Reads the store and the lease into the gauges, then renders every metric (Prometheus text format). */
  scrape(): Promise<string>;
}

/**
 * Queued to delivered, in seconds: most take seconds, a Discord outage or a channel's daily
 * digest makes some wait hours.
 */
const LATENCY_BUCKETS = [0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600];

export function createBotMetrics(sources: MetricSources, registry = new Registry()): BotMetrics {
  // Process and Node.js metrics, event-loop delay among them (nodejs_eventloop_lag_*).
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const polls = new Counter({ name: 'alita_polls_total', help: 'Poll cycles this instance ran to the end', registers });
  const failures = new Counter({ name: 'alita_feed_failures_total', help: "Feed polls that failed, by reason (a FeedError's code, store or other)", labelNames: ['reason'], registers });
  const judged = new Counter({ name: 'alita_items_judged_total', help: 'Feed items read and judged on or off topic', registers });
  const announced = new Counter({ name: 'alita_items_announced_total', help: 'New on-topic items queued for announcement', registers });
  const lastPoll = new Gauge({ name: 'alita_last_poll_timestamp_seconds', help: 'When this instance last finished a poll cycle (Unix time)', registers });
  const latency = new Histogram({ name: 'alita_delivery_latency_seconds', help: 'From an announcement queued to Discord accepting it', buckets: LATENCY_BUCKETS, registers });
  const outbox = new Gauge({
    name: 'alita_outbox_entries',
    help: 'Outbox entries by state: pending (waiting, not failed yet), retrying (failed, waiting for the next try), dead (refused by Discord, not retried)',
    labelNames: ['state'],
    registers,
  });
  const storeUp = new Gauge({ name: 'alita_store_up', help: 'Whether the store answered this scrape (1) or not (0)', registers });
  const leader = new Gauge({ name: 'alita_leader', help: 'Whether this instance holds the lease: it polls and delivers (1), or answers commands only (0)', registers });
  const discord = sources.discordConnected ? new Gauge({ name: 'alita_discord_connected', help: 'Whether the gateway connection to Discord is up', registers }) : undefined;
  return {
    registry,
    pollFinished(result, at) {
      polls.inc();
      for (const [reason, n] of Object.entries(result.failures)) failures.inc({ reason }, n);
      judged.inc(result.judged);
      announced.inc(result.announced);
      lastPoll.set(at.getTime() / 1000);
    },
    delivered(waitedMs) {
      latency.observe(Math.max(0, waitedMs) / 1000);
    },
    // Set here, before rendering, rather than in each gauge's collect(): prom-client collects
    // metrics concurrently, and all of these come from one store read.
    async scrape() {
      try {
        const counts = await sources.outboxCounts();
        outbox.set({ state: 'pending' }, counts.pending - counts.retrying);
        outbox.set({ state: 'retrying' }, counts.retrying);
        outbox.set({ state: 'dead' }, counts.dead);
        storeUp.set(1);
      } catch (error) {
        sources.onScrapeError?.(error);
        // No figures rather than old ones.
        outbox.reset();
        storeUp.set(0);
      }
      leader.set(sources.isLeader() ? 1 : 0);
      if (discord && sources.discordConnected) discord.set(sources.discordConnected() ? 1 : 0);
      return registry.metrics();
    },
  };
}
