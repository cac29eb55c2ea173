/**
 * A cycle's feeds that answer "304 Not Modified" change nothing but their poll times: the cycle
 * writes all of them in one transaction at its end instead of one write per feed.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { BotContext } from '../src/bot/context.ts';
import { createBotContext } from '../src/bot/create-context.ts';
import { runCycle } from '../src/bot/cycle.ts';
import { loadBotConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { rss } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const port = { send: async () => undefined };
let site: TestServer;
let temp: Awaited<ReturnType<typeof tempSqliteStore>>;
let ctx: BotContext;
let now: number;
/** Answers 503 while true, else the feed with an ETag (304 when it matches). */
let failing = false;

beforeEach(async () => {
  now = Date.parse('2024-03-01T12:00:00Z');
  failing = false;
  site = await startHttpServer((req, res) => {
    if (failing) return res.writeHead(503).end();
    if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304, { etag: '"v1"' }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(rss([]));
  });
  temp = await tempSqliteStore();
  const feeds = `${site.url}/a.xml,${site.url}/b.xml`;
  const config = loadBotConfig({ FEEDS: feeds, DATABASE_URL: temp.url, FETCH_TIMEOUT_MS: '30000' });
  ctx = createBotContext({ config, stores: temp.stores, logger: silentLogger, clock: () => new Date(now) });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await site.close();
  await temp.cleanup();
});

it('records every unchanged feed’s poll in one write at the end of the cycle, failures reset', async () => {
  await runCycle({ ctx, port });
  // b fails once, so its next success must clear the count.
  now += 60_000;
  failing = true;
  await runCycle({ ctx, port });
  failing = false;
  const one = vi.spyOn(ctx.news, 'setFeedState');
  const many = vi.spyOn(ctx.news, 'setFeedStates');
  now += 10 * 60_000;
  const result = await runCycle({ ctx, port });

  expect(result).toMatchObject({ feeds: 2, failed: 0 });
  expect(one).not.toHaveBeenCalled();
  expect(many).toHaveBeenCalledTimes(1);
  expect([...many.mock.calls[0]![0].keys()].sort()).toEqual([`${site.url}/a.xml`, `${site.url}/b.xml`]);
  const states = await ctx.news.getFeedStates([`${site.url}/a.xml`, `${site.url}/b.xml`]);
  for (const state of states.values()) {
    expect(state).toMatchObject({ lastSuccess: new Date(now).toISOString(), consecutiveFailures: 0, validators: { etag: '"v1"' }, initialized: true });
    expect(state.lastError).toBeUndefined();
  }
});
