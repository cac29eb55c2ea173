/** Health and metrics for a running bot, when HEALTH_PORT is set: wired from what runBot has. */
import type { LeaderLease } from '../bot/lease.ts';
import type { BotConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Stores } from '../store/sql/index.ts';
import { sql } from 'kysely';
import { checkHealth, staleAfterFor } from './check.ts';
import type { BotMetrics } from './metrics.ts';
import type { HealthServer } from './server.ts';

/** What runBot records as it goes, for the poll check. */
export interface PollWatch {
  /** When this instance last finished a poll cycle. */
  lastPollAt?: Date;
  /** When it last became the leader. */
  leadingSince?: Date;
}

export interface HealthDeps {
  config: Pick<BotConfig, 'HEALTH_PORT' | 'HEALTH_HOST' | 'POLL_CRON'>;
  logger: Logger;
  clock: () => Date;
  stores: Pick<Stores, 'database' | 'outbox'>;
  lease: Pick<LeaderLease, 'isLeader'>;
  watch: PollWatch;
  /** Undefined in console mode; returns false until the gateway is up. */
  discordConnected?: () => boolean;
  /** How old the last poll may be; default from POLL_CRON (staleAfterFor). */
  staleAfterMs?: number;
}

export interface Health {
  metrics: BotMetrics;
  server: HealthServer;
}

/** Starts the endpoints, or does nothing when HEALTH_PORT is unset. */
export async function startHealth(deps: HealthDeps): Promise<Health | undefined> {
  const { config, logger, stores, lease, watch } = deps;
  if (config.HEALTH_PORT === undefined) return undefined;
  // Loaded only when asked for: a bot without HEALTH_PORT never pays for prom-client at start-up.
  const [{ createBotMetrics }, { startHealthServer }] = await Promise.all([import('./metrics.ts'), import('./server.ts')]);
  const discord = deps.discordConnected ? { discordConnected: deps.discordConnected } : {};
  const metrics = createBotMetrics({
    outboxCounts: () => stores.outbox.counts(),
    isLeader: () => lease.isLeader(),
    onScrapeError: (error) => logger.warn('metrics: could not read the outbox', { error: error instanceof Error ? error.message : String(error) }),
    ...discord,
  });
  const staleAfterMs = deps.staleAfterMs ?? staleAfterFor(config.POLL_CRON);
  const server = await startHealthServer({
    host: config.HEALTH_HOST,
    port: config.HEALTH_PORT,
    logger,
    metrics: () => metrics.scrape(),
    check: () =>
      checkHealth({
        now: deps.clock,
        probeStore: () => sql`select 1`.execute(stores.database.db),
        isLeader: () => lease.isLeader(),
        lastPollAt: () => watch.lastPollAt,
        leadingSince: () => watch.leadingSince,
        staleAfterMs,
        ...discord,
      }),
  });
  return { metrics, server };
}
