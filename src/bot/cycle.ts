import { formatAnnouncement } from '../engine/format.ts';
import { describeError } from '../engine/errors.ts';
import { pollFeed } from '../engine/poll.ts';
import type { NewsItem } from '../engine/types.ts';
import type { NewEntry } from '../store/outbox.ts';
import type { BotContext } from './context.ts';
import { fetchOptionsFor } from './create-context.ts';
import { deliverPending, type AnnouncePort, type DeliveryResult } from './delivery.ts';
import { announcementTargets, type Target } from './targets.ts';

export interface CycleDeps {
  ctx: BotContext;
  port: AnnouncePort;
  /** The server a channel belongs to, when the Discord cache knows it. */
  guildOfChannel?: (channelId: string) => string | undefined;
  concurrency?: number;
  /** Channel used when ANNOUNCE_CHANNEL_ID is unset (console mode prints to 'console'). */
  defaultChannel?: string;
}

export interface CycleResult {
  feeds: number;
  failed: number;
  announced: number;
  delivery: DeliveryResult;
}

/** A promise-chain lock: one holder at a time, in arrival order. */
export function createLock(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function entriesFor(items: NewsItem[], targets: Target[], batch: string): NewEntry[] {
  return targets.flatMap((target) =>
    items.map((item) => ({
      channelId: target.channelId,
      ...(target.guildId ? { guildId: target.guildId } : {}),
      itemId: item.id,
      title: item.title,
      body: formatAnnouncement(item, target.roleId ? { pingRoleId: target.roleId } : {}),
      batch,
      at: item.published ?? batch,
    })),
  );
}

/** One poll of every feed, then one delivery round. A failing feed never stops the others. */
export async function runCycle(deps: CycleDeps): Promise<CycleResult> {
  const { ctx } = deps;
  const { config, logger } = ctx;
  const started = ctx.clock();
  const batch = started.toISOString();
  const feeds = await ctx.feeds();
  const fallbackChannel = config.ANNOUNCE_CHANNEL_ID ?? deps.defaultChannel;
  const fallbackGuild = fallbackChannel ? deps.guildOfChannel?.(fallbackChannel) : undefined;
  const targets = announcementTargets(await ctx.settings.guilds(), { channelId: fallbackChannel, roleId: config.PING_ROLE_ID, guildId: fallbackGuild });
  const exclusive = createLock();
  let failed = 0;
  let announced = 0;
  await forEachLimited(feeds, deps.concurrency ?? 4, async (feed) => {
    try {
      const result = await pollFeed(feed.url, {
        store: ctx.news,
        topic: ctx.topic,
        clock: ctx.clock,
        backfill: config.BACKFILL,
        fetchOptions: fetchOptionsFor(config, feed.trusted),
        exclusive,
        enqueue: async (items) => {
          if (items.length > 0 && targets.length === 0) logger.warn('new on-topic items but no announcement channel: run /setup or set ANNOUNCE_CHANNEL_ID', { feed: feed.url, items: items.length });
          await ctx.outbox.enqueue(entriesFor(items, targets, batch), ctx.clock());
        },
      });
      announced += result.announced.length;
      if (result.status === 'updated') logger.debug('feed polled', { feed: feed.url, items: result.items, onTopic: result.onTopic, new: result.announced.length });
    } catch (error) {
      failed++;
      logger.warn('feed failed', { feed: feed.url, reason: describeError(error) });
    }
  });
  await ctx.settings.setLastPoll({ at: batch, feeds: feeds.length, failed, announced });
  const delivery = await deliverPending({ outbox: ctx.outbox, port: deps.port, clock: ctx.clock, logger });
  return { feeds: feeds.length, failed, announced, delivery };
}
