/**
 * A feed whose analysis throws something unexpected (a plain Error, not a FeedError) fails every
 * poll alike: it must back off and be paused like a feed whose fetch fails, not be re-fetched and
 * re-analysed on every poll forever. A bot that is stopping is not the feed's fault.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBotContext } from '../src/bot/create-context.ts';
import { runCycle } from '../src/bot/cycle.ts';
import { pollFeed } from '../src/bot/poll-feed.ts';
import { loadBotConfig } from '../src/config.ts';
import type { Analyze } from '../src/engine/analyze.ts';
import { isDue } from '../src/engine/fetch-limiter.ts';
import { formatAnnouncement } from '../src/engine/format.ts';
import { ParsePool } from '../src/engine/parse-pool.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { silentLogger } from '../src/log.ts';
import { rss } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const topic = loadTopic();
let site: TestServer | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await site?.close();
  await cleanup?.();
});

async function setUp() {
  site = await startHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ title: 'Alita 2 news', link: 'https://news.example.com/1' }])));
  const feed = `${site.url}/feed.xml`;
  const temp = await tempSqliteStore();
  cleanup = temp.cleanup;
  return { feed, temp };
}

describe('a feed whose analysis throws a plain Error on every poll', () => {
  it('backs off after each failure and is paused after the configured number, like a failing fetch', async () => {
    const { feed, temp } = await setUp();
    let now = Date.parse('2024-06-01T12:00:00Z');
    const config = loadBotConfig({ FEEDS: feed, DATABASE_URL: temp.url });
    const ctx = createBotContext({ config, stores: temp.stores, logger: silentLogger, topic, clock: () => new Date(now) });
    let analyses = 0;
    const analyze: Analyze = async () => {
      analyses++;
      throw new Error('undefined is not a function');
    };
    const cycle = () => runCycle({ ctx, port: { send: async () => undefined }, analyze, politeness: { pauseAfter: 3 } });

    expect(await cycle()).toMatchObject({ failed: 1 });
    const first = (await ctx.news.getFeedState(feed))!;
    expect(first).toMatchObject({ consecutiveFailures: 1, lastError: "could not read the feed's items (undefined is not a function)" });
    expect(first.nextAttemptAt).toBeDefined();
    expect(isDue(first, new Date(now))).toBe(false);
    // Backing off: the next cycle does not fetch it at all, and still counts it as failing.
    expect(await cycle()).toMatchObject({ skipped: 1, failed: 1 });
    expect(analyses).toBe(1);

    for (let i = 0; i < 2; i++) {
      now = Date.parse((await ctx.news.getFeedState(feed))!.nextAttemptAt!);
      expect(await cycle()).toMatchObject({ failed: 1 });
    }
    expect(analyses).toBe(3);
    expect(await ctx.news.getFeedState(feed)).toMatchObject({ paused: true, consecutiveFailures: 3, pausedReason: "3 failures in a row, last: could not read the feed's items (undefined is not a function)" });
  });

  it('is not held back for a parse pool that closed under it (the bot is stopping)', async () => {
    const { feed, temp } = await setUp();
    const pool = new ParsePool({ topic, size: 1 });
    await pool.close();
    const deps = { store: temp.stores.news, topic, clock: () => new Date('2024-06-01T12:00:00Z'), backfill: 0, targets: [], format: (item: Parameters<typeof formatAnnouncement>[0]) => formatAnnouncement(item), batch: 'b', analyze: pool.analyze };
    await expect(pollFeed(feed, deps)).rejects.toThrow('the parse pool is closed');
    const state = (await temp.stores.news.getFeedState(feed))!;
    expect(state).toMatchObject({ consecutiveFailures: 1 });
    expect(state.nextAttemptAt).toBeUndefined();
  });
});
