/**
 * "N failed" in /status and in the log's `poll finished` is how many feeds are failing, polled
 * this minute or held back after failing: a failing feed backs off (1 min, 2 min, 4 min…), so
 * most polls skip it, and counting only the feeds that failed in this very poll said "0 failed"
 * while every feed was failing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import status from '../commands/status.ts';
import type { CommandRequest } from '../src/bot/command.ts';
import { createBotContext } from '../src/bot/create-context.ts';
import { runCycle } from '../src/bot/cycle.ts';
import { loadBotConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { rss } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const MINUTE = 60_000;
const request: CommandRequest = { name: 'status', options: {}, userId: '1', canManageGuild: false };

let site: TestServer | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await site?.close();
  await cleanup?.();
});

describe('the failed count of a poll', () => {
  it('counts every failing feed at every minute poll, also while they back off, and drops a feed once it answers', async () => {
    let failing = true;
    site = await startHttpServer((req, res) => {
      if (req.url === '/ok.xml' || !failing) return res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ title: 'Alita 2 news', link: 'https://news.example.com/1' }]));
      res.writeHead(500).end();
    });
    const feeds = ['a', 'b', 'ok'].map((name) => `${site!.url}/${name}.xml`);
    const temp = await tempSqliteStore();
    cleanup = temp.cleanup;
    let now = Date.parse('2024-06-01T12:00:00Z');
    const ctx = createBotContext({ config: loadBotConfig({ FEEDS: feeds.join(','), DATABASE_URL: temp.url }), stores: temp.stores, logger: silentLogger, clock: () => new Date(now) });
    const cycle = () => runCycle({ ctx, port: { send: async () => undefined } });
    const lastPollLine = async () => /\*\*Last poll:\*\* [^\n]*/.exec((await status.execute(request, ctx)).embeds![0]!.description!)?.[0];

    const results = [];
    // Ten polls a minute apart: the failing feeds are fetched at 0, 1, 3 and 7 min, skipped between.
    for (let minute = 0; minute < 10; minute++) {
      results.push(await cycle());
      expect(await lastPollLine(), `minute ${minute}`).toBe('**Last poll:** 0 s ago: 3 feeds, 2 failed, 0 new');
      expect(await ctx.settings.lastPoll()).toMatchObject({ feeds: 3, failed: 2 });
      now += MINUTE;
    }
    expect(results.map((r) => r.failed)).toEqual(Array(10).fill(2));
    // The skips are real: the back-off still holds the failing feeds back most minutes.
    expect(results.filter((r) => r.skipped === 2).length).toBeGreaterThan(4);

    failing = false;
    now += 60 * MINUTE;
    expect(await cycle()).toMatchObject({ failed: 0, skipped: 0 });
    expect(await lastPollLine()).toBe('**Last poll:** 0 s ago: 3 feeds, 0 failed, 0 new');
  });
});
