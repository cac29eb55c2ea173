import type { Readable, Writable } from 'node:stream';
import type { BotConfig } from '../config.ts';
import { CONSOLE_CHANNEL, consolePort, startConsoleCommands } from '../console/console.ts';
import { startDiscord, type DiscordBot } from '../discord/client.ts';
import { FetchLimiter } from '../engine/fetch-limiter.ts';
import { ParsePool } from '../engine/parse-pool.ts';
import { loadTopic } from '../engine/topic.ts';
import { loadPeople } from '../engine/quotes/people.ts';
import type { Logger } from '../log.ts';
import { readQuotesFile } from '../store/quotes.ts';
import type { Stores } from '../store/sql/index.ts';
import { CONSOLE_GUILD } from '../console/commands.ts';
import type { Command } from '../bot/command.ts';
import type { BotContext } from '../bot/context.ts';
import { createBotContext, type ContextOptions } from '../bot/create-context.ts';
import { armCrashPoints } from '../bot/crash-points.ts';
import { runCycle } from '../bot/cycle.ts';
import type { AnnouncePort } from '../bot/delivery.ts';
import { createLease, type LeaderLease } from '../bot/lease.ts';
import { startScheduler, type Scheduler } from '../bot/scheduler.ts';
import { startHealth, type Health, type PollWatch } from '../health/start.ts';

/** How long stop() waits for the cycle in flight before abandoning it (main.ts exits after 9 s). */
export const STOP_GRACE_MS = 5_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export interface RunningBot {
  ctx: BotContext;
  scheduler: Scheduler;
  discord?: DiscordBot;
  /** Only the holder of this lease (one instance per shared store) polls and delivers. */
  lease: LeaderLease;
  /** GET /healthz and /metrics, when HEALTH_PORT is set. */
  health?: Health;
  /** Finishes or abandons the cycle in flight, then closes the health endpoints, Discord and the store. */
  stop(): Promise<void>;
}

export interface RunOptions extends Omit<ContextOptions, 'config' | 'stores' | 'logger'> {
  config: BotConfig;
  /** Opened by the caller (main.ts); stop() closes them. */
  stores: Stores;
  logger: Logger;
  commands: Command[];
  /** Console mode's terminal (stdin/stdout by default). */
  input?: Readable;
  output?: Writable;
  discordClientOptions?: Parameters<typeof startDiscord>[2]['client'];
  /** How old the last poll may be before /healthz says 503; default three poll intervals, at least 10 min. */
  healthStaleAfterMs?: number;
}

/**
 * Starts the bot: with DISCORD_TOKEN it connects to Discord, without it it runs in console
 * mode (announcements printed, commands read from the terminal). Polls once at once, then on
 * POLL_CRON.
 */
export async function runBot(options: RunOptions): Promise<RunningBot> {
  const { config, stores, logger, commands } = options;
  // Both live as long as the bot: workers are reused across polls, and a host's Retry-After
  // must outlive the cycle that heard it.
  const topic = options.topic ?? loadTopic();
  const people = options.people ?? loadPeople();
  const parsePool = new ParsePool({ topic, people });
  // Started while the bot logs in, so the first poll finds it ready.
  void parsePool.warm();
  const ctx = createBotContext({ ...options, topic, people, analyze: parsePool.analyze });
  const limiter = new FetchLimiter({ concurrency: config.FETCH_CONCURRENCY, perHost: config.FETCH_PER_HOST, clock: ctx.clock, budget: parsePool.budget });
  const seeded = await ctx.quotes.seed(readQuotesFile());
  if (seeded > 0) logger.info('quotes seeded', { added: seeded });
  const output = options.output ?? process.stdout;
  // Several instances may share the store: only the lease holder polls and delivers.
  const lease = createLease(stores.lease, config.POLL_CRON, logger);
  const watch: PollWatch = {};
  let discord: DiscordBot | undefined;
  let health: Health | undefined;
  try {
    // Up before Discord: a login that hangs or fails shows as 503, not as silence.
    health = await startHealth({ config, logger, clock: ctx.clock, stores, lease, watch, ...(options.healthStaleAfterMs ? { staleAfterMs: options.healthStaleAfterMs } : {}), ...(config.DISCORD_TOKEN ? { discordConnected: () => discord?.connected() ?? false } : {}) });
    if (config.DISCORD_TOKEN) {
      discord = await startDiscord(ctx, commands, { token: config.DISCORD_TOKEN, ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}), ...(options.discordClientOptions ? { client: options.discordClientOptions } : {}) });
    } else {
      logger.info('no DISCORD_TOKEN: console mode. Type /latest, /quote cameron, /status …');
      void startConsoleCommands(options.input ?? process.stdin, output, commands, ctx);
    }
  } catch (error) {
    await health?.server.close();
    await parsePool.close();
    throw error;
  }
  const basePort = armCrashPoints(ctx, stores.database, discord?.port ?? consolePort(output));
  // A leader that lost its lease mid-cycle sends nothing more; the entry stays queued for the new leader.
  const notLeader = () => Promise.reject(new Error('not the leader any more'));
  const port: AnnouncePort = {
    send: (channelId, body, post) => (lease.isLeader() ? basePort.send(channelId, body, post) : notLeader()),
    ...(basePort.publish ? { publish: (channelId: string, messageId: string) => (lease.isLeader() ? basePort.publish!(channelId, messageId) : notLeader()) } : {}),
    ...(basePort.edit ? { edit: (channelId: string, messageId: string, body: Parameters<NonNullable<AnnouncePort['edit']>>[2]) => (lease.isLeader() ? basePort.edit!(channelId, messageId, body) : notLeader()) } : {}),
  };
  const cycle = async () => {
    if (!lease.isLeader()) return logger.debug('not the leader: skipping this poll');
    const started = performance.now();
    const result = await runCycle({ ctx, port, limiter, analyze: parsePool.analyze, ...(health ? { onDelivered: health.metrics.delivered } : {}), ...(discord ? { guildOfChannel: discord.guildOfChannel, isAnnouncementChannel: discord.isAnnouncementChannel, canManageRole: discord.canManageRole } : { defaultChannel: CONSOLE_CHANNEL, defaultGuild: CONSOLE_GUILD }) });
    watch.lastPollAt = ctx.clock();
    health?.metrics.pollFinished(result, watch.lastPollAt);
    // Duration and memory, so an operator sees a slow or swelling poll in the log they already read.
    const rssMiB = Math.round(process.memoryUsage.rss() / 2 ** 20);
    // Quiet when nothing happened (1,440 lines a day otherwise); heard when something was found or a feed failed now.
    const eventful = result.announced > 0 || Object.keys(result.failures).length > 0;
    logger[eventful ? 'info' : 'debug']('poll finished', { feeds: result.feeds, failed: result.failed, new: result.announced, sent: result.delivery.sent, retrying: result.delivery.retrying, ms: Math.round(performance.now() - started), rssMiB });
  };
  const scheduler = startScheduler(config.POLL_CRON, cycle, logger);
  // Polls at once when this instance leads (now, or whenever it takes over from a dead leader).
  await lease.start((leader) => {
    if (!leader) return;
    watch.leadingSince = ctx.clock();
    void scheduler.runNow();
  });
  return {
    ctx,
    scheduler,
    lease,
    ...(discord ? { discord } : {}),
    ...(health ? { health } : {}),
    async stop() {
      // A cycle stuck on a slow feed is abandoned after a while: each feed's record is one
      // transaction and delivery is marked per send, so the next run redoes only what is left.
      const finished = await Promise.race([scheduler.stop().then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
      if (!finished) logger.warn('abandoning the poll cycle in flight; the next run redoes it', { waitedMs: STOP_GRACE_MS });
      await lease.stop();
      await health?.server.close();
      await discord?.destroy();
      await parsePool.close();
      await stores.close();
      logger.info('stopped: Discord client closed, store closed');
    },
  };
}
