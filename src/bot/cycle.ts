import { formatAnnouncement } from '../engine/format.ts';
import { describeError, FeedError } from '../engine/errors.ts';
import type { FeedState } from '../engine/feed-state.ts';
import type { NewsItem } from '../engine/types.ts';
import { FetchLimiter, isDue, type Politeness } from '../engine/fetch-limiter.ts';
import type { Analyze } from '../engine/analyze.ts';
import type { BotContext } from './context.ts';
import { fetchOptionsFor } from './create-context.ts';
import { deliverPending, type AnnouncePort, type DeliveryResult } from './delivery.ts';
import { pollFeed, type PollDeps } from './poll-feed.ts';
import { announcementTargets, targetsForFeed, type Target } from './targets.ts';
import { StoreError } from '../store/sql/errors.ts';
import { codeSpan } from './text.ts';

export interface CycleDeps {
  ctx: BotContext;
  port: AnnouncePort;
  /** The server a channel belongs to, when the Discord cache knows it. */
  guildOfChannel?: (channelId: string) => string | undefined;
  /** Whether a channel is an announcement channel, whose posts can be published to its followers. */
  isAnnouncementChannel?: (channelId: string) => boolean;
  /** Whether the bot may give and take this role in the channel's server (Manage Roles, the role below its own). */
  canManageRole?: (channelId: string, roleId: string) => boolean;
  /**
   * Shared across cycles so a host's Retry-After outlives the cycle that heard it. Without one,
   * each cycle makes its own from FETCH_CONCURRENCY and FETCH_PER_HOST.
   */
  limiter?: FetchLimiter;
  /** Parse → normalise → judge, e.g. a ParsePool's analyze; default in-thread. */
  analyze?: Analyze;
  politeness?: Partial<Politeness>;
  /** Told for each entry delivered, how long after it was queued (metrics). */
  onDelivered?: (waitedMs: number) => void;
  /** Channel used when ANNOUNCE_CHANNEL_ID is unset (console mode prints to 'console'), and its server. */
  defaultChannel?: string;
  defaultGuild?: string;
}

export interface CycleResult {
  feeds: number;
  /**
   * Feeds failing after this poll: those that failed now and those held back after failing (a
   * failing feed backs off, so most polls skip it; it still fails).
   */
  failed: number;
  /** This poll's own failures by reason (a FeedError's code, 'store' or 'other'): those held back are not in it. */
  failures: Record<string, number>;
  /** Items read and judged this poll (feeds that answered "not modified" have none). */
  judged: number;
  /** Feeds not fetched this cycle: backing off, paused, or their host asked us to wait. */
  skipped: number;
  announced: number;
  delivery: DeliveryResult;
}

/** One poll of every feed, then one delivery round. A failing feed never stops the others. */
export async function runCycle(deps: CycleDeps): Promise<CycleResult> {
  const { ctx } = deps;
  const { config, logger } = ctx;
  const started = ctx.clock();
  const batch = started.toISOString();
  const feeds = await ctx.feeds();
  const fallbackChannel = config.ANNOUNCE_CHANNEL_ID ?? deps.defaultChannel;
  const fallbackGuild = (fallbackChannel ? deps.guildOfChannel?.(fallbackChannel) : undefined) ?? (config.ANNOUNCE_CHANNEL_ID ? undefined : deps.defaultGuild);
  const guilds = await ctx.settings.guilds();
  const targets = announcementTargets(guilds, { channelId: fallbackChannel, roleId: config.PING_ROLE_ID, guildId: fallbackGuild }, started);
  // Published by default in an announcement channel; /setup publish:false turns it off for a server.
  const publishOff = new Set(guilds.filter((g) => g.publish === false).map((g) => g.channelId));
  const publishes = (channelId: string) => deps.isAnnouncementChannel?.(channelId) === true && !publishOff.has(channelId);
  // A "Notify me" button for the channel's ping role, unless /setup button:false, where the bot can manage that role.
  const buttonOff = new Set(guilds.filter((g) => g.notifyButton === false).map((g) => g.channelId));
  const pingRoles = new Map(targets.filter((t) => t.roleId && !buttonOff.has(t.channelId)).map((t) => [t.channelId, t.roleId!]));
  const notifyRole = (channelId: string) => {
    const role = pingRoles.get(channelId);
    return role && deps.canManageRole?.(channelId, role) ? role : undefined;
  };
  const limiter = deps.limiter ?? new FetchLimiter({ concurrency: config.FETCH_CONCURRENCY, perHost: config.FETCH_PER_HOST, clock: ctx.clock });
  // One read for every feed's state, handed to its poll. Unreadable state counts as due: each
  // pollFeed then reads its own, fails on the store and says so, per feed.
  const read = await ctx.news.getFeedStates(feeds.map((feed) => feed.url)).catch(() => undefined);
  const states = feeds.map((feed) => read?.get(feed.url));
  // Every due feed starts at once: the limiter, not this loop, decides how many fetch together.
  const polled = feeds.map((feed, i) => ({ feed, before: states[i] }));
  const due = polled.filter(({ feed, before }) => isDue(before, started) && !limiter.hostWaitUntil(feed.url, started));
  const dueNow = new Set(due);
  const heldFailing = polled.filter((entry) => !dueNow.has(entry) && (entry.before?.consecutiveFailures ?? 0) > 0).length;
  if (due.length < feeds.length) logger.debug('feeds held back', { skipped: feeds.length - due.length });
  if (feeds.length > 0 && targets.length === 0) logger.debug('no announcement channel yet: run /setup or set ANNOUNCE_CHANNEL_ID');
  let failed = heldFailing;
  let announced = 0;
  let judged = 0;
  const failures: Record<string, number> = {};
  const unchanged = new Map<string, FeedState>();
  // What every feed's poll shares, made once: a cycle's polls are hundreds.
  const shared = {
    store: ctx.news,
    topic: ctx.topic,
    quotes: ctx.quoteExtractor,
    clock: ctx.clock,
    backfill: config.BACKFILL,
    format: (item: NewsItem, target: Target) => formatAnnouncement(item, target.roleId ? { pingRoleId: target.roleId } : {}),
    batch,
    maxPostsPerChannel: config.MAX_ANNOUNCEMENTS_PER_POLL,
    fetch: limiter.fetch,
    ...(deps.analyze ? { analyze: deps.analyze } : {}),
    ...(deps.politeness ? { politeness: deps.politeness } : {}),
    maxItems: config.MAX_ITEMS_PER_FEED,
    logger,
    unchanged: (url: string, state: FeedState) => void unchanged.set(url, state),
  } satisfies Partial<PollDeps>;
  const operatorOptions = fetchOptionsFor(config, true);
  // Made when first needed: the guarded agent only if a server added a feed.
  let addedOptions: ReturnType<typeof fetchOptionsFor> | undefined;
  await startInSlices(due, START_SLICE, async ({ feed, before }) => {
    try {
      const result = await pollFeed(feed.url, {
        ...shared,
        ...(read ? { previous: before ?? null } : {}),
        targets: targetsForFeed(feed, targets),
        fetchOptions: feed.operator ? operatorOptions : (addedOptions ??= fetchOptionsFor(config, false)),
        ...(feed.aboutAlita ? { aboutAlita: true } : {}),
      });
      announced += result.announced.length;
      judged += result.items;
      if (result.status === 'updated') logger.debug('feed polled', { feed: feed.url, items: result.items, onTopic: result.onTopic, new: result.announced.length });
    } catch (error) {
      failed++;
      const reason = failureReason(error);
      failures[reason] = (failures[reason] ?? 0) + 1;
      logger.warn('feed failed', { feed: feed.url, reason: describeError(error) });
      const after = await ctx.news.getFeedState(feed.url).catch(() => undefined);
      if (after?.paused && !before?.paused) await reportPaused(deps, feed.url, after, batch);
    }
  });
  if (unchanged.size > 0) await ctx.news.setFeedStates(unchanged).catch((error: unknown) => logger.warn('could not record the unchanged feeds\' poll times', { feeds: unchanged.size, reason: describeError(error) }));
  await ctx.settings.setLastPoll({ at: batch, feeds: feeds.length, failed, announced });
  const delivery = await deliverPending({ outbox: ctx.outbox, port: deps.port, clock: ctx.clock, logger, publishes, notifyRole, ...(deps.onDelivered ? { onDelivered: deps.onDelivered } : {}) });
  await ctx.outbox.pruneFinished(ctx.clock()).catch((error: unknown) => logger.warn('could not prune finished outbox rows', { reason: describeError(error) }));
  return { feeds: feeds.length, failed, failures, judged, skipped: feeds.length - due.length, announced, delivery };
}

/**
 * Polls started per turn of the event loop. Starting 505 at once held the loop for 50-80 ms (each
 * poll's set-up and its place in the limiter's queue), and a command that came then waited for
 * all of it; the limiter lets only FETCH_CONCURRENCY fetch at once anyway.
 */
const START_SLICE = 32;

/** Starts `work` for every entry, `size` per turn of the event loop, and waits for all of them (rejecting as Promise.all does). */
async function startInSlices<T>(entries: readonly T[], size: number, work: (entry: T) => Promise<void>): Promise<void> {
  const running: Promise<void>[] = [];
  for (let i = 0; i < entries.length; i += size) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const entry of entries.slice(i, i + size)) {
      const started = work(entry);
      // Handled by Promise.all below; until then a rejection must not count as unhandled.
      started.catch(() => undefined);
      running.push(started);
    }
  }
  await Promise.all(running);
}

/** A few stable words for why a feed's poll failed (metrics label them): the feed's own trouble, or the bot's store. */
export function failureReason(error: unknown): string {
  if (error instanceof FeedError) return error.code;
  return error instanceof StoreError ? 'store' : 'other';
}

const code = (text: string) => codeSpan(text.slice(0, 600));

/**
 * Logged, and posted once to LOG_CHANNEL_ID through the outbox: the id names the pause, so a
 * repeat (a crash before the state was read back) is dropped by the outbox, and the daily
 * probes of a paused feed post nothing more.
 */
async function reportPaused(deps: CycleDeps, feed: string, state: FeedState, batch: string): Promise<void> {
  const { ctx } = deps;
  ctx.logger.warn('feed paused', { feed, reason: state.pausedReason, nextTry: state.nextAttemptAt });
  const channelId = ctx.config.LOG_CHANNEL_ID;
  if (!channelId) return;
  const content = `⏸️ Feed paused: ${code(feed)}\n${code(state.pausedReason ?? 'repeated failures')}\nThe bot tries it once a day and resumes it as soon as it answers.`;
  const guildId = deps.guildOfChannel?.(channelId);
  await ctx.outbox.enqueue(
    [{ channelId, ...(guildId ? { guildId } : {}), itemId: `paused:${feed}:${state.pausedAt}`, title: `Feed paused: ${feed}`, body: { content, embeds: [], allowed_mentions: { parse: [] } }, batch, at: state.pausedAt ?? batch }],
    ctx.clock(),
  ).catch((error: unknown) => ctx.logger.warn('could not queue the feed-paused message', { feed, reason: describeError(error) }));
}
