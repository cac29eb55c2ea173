/**
 * A cycle over many feeds starts their polls a slice at a time, with turns of the event loop
 * between slices (a command must not wait while hundreds of polls are set up), and still polls
 * every feed once and counts every failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBotContext } from '../src/bot/create-context.ts';
import { runCycle } from '../src/bot/cycle.ts';
import { loadBotConfig } from '../src/config.ts';
import { FetchLimiter } from '../src/engine/fetch-limiter.ts';
import { silentLogger } from '../src/log.ts';
import { rss } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const FEEDS = 150;

let site: TestServer | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await site?.close();
  await cleanup?.();
});

describe('a cycle over many feeds', () => {
  it('polls every feed once, counts every failure, and lets the event loop turn while the polls start', async () => {
    const requested: string[] = [];
    site = await startHttpServer((req, res) => {
      requested.push(req.url!);
      if (req.url!.startsWith('/bad-')) return res.writeHead(500).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ title: `Story ${req.url}`, link: `https://news.example.com${req.url}` }]));
    });
    const feeds = Array.from({ length: FEEDS }, (_, i) => `${site!.url}/${i % 10 === 0 ? 'bad' : 'ok'}-${i}.xml`);
    const temp = await tempSqliteStore();
    cleanup = temp.cleanup;
    const ctx = createBotContext({ config: loadBotConfig({ FEEDS: feeds.join(','), DATABASE_URL: temp.url }), stores: temp.stores, logger: silentLogger });

    // Which polls had asked to fetch before a turn of the event loop queued just before the cycle.
    const limiter = new FetchLimiter({ concurrency: 8, perHost: 8 });
    const fetchNow = limiter.fetch;
    let turned = false;
    const beforeTurn: string[] = [];
    (limiter as { fetch: FetchLimiter['fetch'] }).fetch = (source, options) => {
      if (!turned) beforeTurn.push(source);
      return fetchNow(source, options);
    };
    setImmediate(() => (turned = true));
    const result = await runCycle({ ctx, port: { send: async () => undefined }, limiter });

    expect(result).toMatchObject({ feeds: FEEDS, failed: FEEDS / 10, skipped: 0 });
    expect([...requested].sort()).toEqual(feeds.map((f) => new URL(f).pathname).sort());
    expect(beforeTurn.length).toBeGreaterThan(0);
    expect(beforeTurn.length).toBeLessThan(FEEDS);
    // Polls start in the order of the feed list, turn or no turn.
    expect(beforeTurn).toEqual(feeds.slice(0, beforeTurn.length));
  });
});
