/**
 * Polite fetching against real local servers (127.0.0.x are distinct hosts): the global and
 * per-host limits as the servers see them, Retry-After, growing back-off, and the pause.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import status from '../commands/status.ts';
import type { BotContext } from '../src/bot/context.ts';
import { createBotContext } from '../src/bot/create-context.ts';
import { runCycle } from '../src/bot/cycle.ts';
import { loadBotConfig } from '../src/config.ts';
import { afterFailure, backoffMs, FetchLimiter } from '../src/engine/fetch-limiter.ts';
import { silentLogger } from '../src/log.ts';
import { rss } from './support/feeds.ts';
import { startHttpServer, type TestServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const MINUTE = 60_000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function server(host: string, handler: (req: IncomingMessage, res: ServerResponse) => unknown): Promise<TestServer> {
  const started = await startHttpServer(handler, host);
  cleanups.push(started.close);
  return started;
}

let now = Date.parse('2024-06-01T12:00:00Z');
async function botWith(feeds: string[]): Promise<{ ctx: BotContext; cycle: (deps?: Partial<Parameters<typeof runCycle>[0]>) => ReturnType<typeof runCycle> }> {
  const temp = await tempSqliteStore();
  cleanups.push(temp.cleanup);
  const ctx = createBotContext({ config: loadBotConfig({ FEEDS: feeds.join(','), DATABASE_URL: temp.url }), stores: temp.stores, logger: silentLogger, clock: () => new Date(now) });
  const limiter = new FetchLimiter({ clock: ctx.clock });
  return { ctx, cycle: (deps = {}) => runCycle({ ctx, port: { send: async () => undefined }, limiter, ...deps }) };
}

const ok = rss([{ title: 'Alita 2 news', link: 'https://news.example.com/1' }]);

/** Waits for a condition with a deadline far above any local answer (a busy machine is not a failure). */
async function until(check: () => boolean, describe: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('FetchLimiter', () => {
  it('keeps at most 16 fetches in flight and 2 per host, as the servers count them', async () => {
    // Each request waits at its server until the test releases the whole wave, so what is in
    // flight together is decided by the limiter alone, not by how fast this machine answers.
    let held: Array<{ host: string; answer: () => void }> = [];
    let inFlight = 0;
    let most = 0;
    const perHost = new Map<string, { now: number; most: number }>();
    const hosts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        server(`127.0.0.${i + 2}`, async (req, res) => {
          const host = perHost.get(req.headers.host!) ?? { now: 0, most: 0 };
          perHost.set(req.headers.host!, host);
          most = Math.max(most, ++inFlight);
          host.most = Math.max(host.most, ++host.now);
          await new Promise<void>((answer) => held.push({ host: req.headers.host!, answer }));
          inFlight--;
          host.now--;
          res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(ok);
        }),
      ),
    );
    const limiter = new FetchLimiter();
    const feeds = hosts.flatMap((h) => [0, 1, 2, 3].map((n) => `${h.url}/feed-${n}.xml`));
    const results = Promise.all(feeds.map((feed) => limiter.fetch(feed)));
    const left = new Map(hosts.map((h) => [new URL(h.url).host, 4]));
    for (let wave = 0; [...left.values()].some((n) => n > 0); wave++) {
      // As many as both limits allow: 16 in all, 2 per host, of what each host still has.
      const expected = Math.min(16, [...left.values()].reduce((sum, n) => sum + Math.min(2, n), 0));
      await until(() => held.length >= expected, () => `wave ${wave}: ${held.length} of ${expected} requests arrived`);
      if (wave === 0) expect(limiter.stats()).toEqual({ active: 16, queued: 32 });
      const answering = held.splice(0);
      expect(answering).toHaveLength(expected);
      for (const request of answering) left.set(request.host, left.get(request.host)! - 1);
      for (const request of answering) request.answer();
    }
    expect((await results).every((r) => r.kind === 'fetched')).toBe(true);
    expect(most).toBe(16);
    expect(Math.max(...[...perHost.values()].map((h) => h.most))).toBe(2);
    expect(limiter.stats()).toEqual({ active: 0, queued: 0 });
  });

  it('serves one host’s queue first come, first served, while other hosts go past it', async () => {
    // The slow host answers only once the fast one has: a limiter that made the fast host wait
    // behind the slow one would never finish this test.
    let fastAnswered!: () => void;
    const fastDone = new Promise<void>((resolve) => (fastAnswered = resolve));
    const slow = await server('127.0.0.2', async (_req, res) => {
      await fastDone;
      res.writeHead(200).end(ok);
    });
    const fast = await server('127.0.0.3', (_req, res) => res.writeHead(200).end(ok));
    const limiter = new FetchLimiter({ perHost: 1, concurrency: 2 });
    const done: string[] = [];
    const track = (url: string) => limiter.fetch(url).then(() => void done.push(new URL(url).pathname));
    await Promise.all([...[1, 2, 3, 4, 5].map((n) => track(`${slow.url}/s${n}`)), track(`${fast.url}/f1`).then(fastAnswered)]);
    expect(slow.requests.map((r) => r.url)).toEqual(['/s1', '/s2', '/s3', '/s4', '/s5']);
    expect(done).toEqual(['/f1', '/s1', '/s2', '/s3', '/s4', '/s5']);
  });

  it('honours Retry-After (seconds or HTTP date) on 429 and 503, for the feed and its whole host', async () => {
    const site = await server('127.0.0.2', (req, res) => {
      if (req.url === '/busy') return res.writeHead(429, { 'Retry-After': '120' }).end();
      res.writeHead(200).end(ok);
    });
    const other = await server('127.0.0.3', (_req, res) => res.writeHead(200).end(ok));
    const third = await server('127.0.0.4', (_req, res) => res.writeHead(503, { 'Retry-After': new Date(now + 3 * 60 * MINUTE).toUTCString() }).end());
    const [busy, down, sameHost, otherHost] = [`${site.url}/busy`, `${third.url}/down`, `${site.url}/ok`, `${other.url}/ok`];
    const { ctx, cycle } = await botWith([busy, down, sameHost, otherHost]);
    const start = now;
    expect(await cycle()).toMatchObject({ feeds: 4, failed: 2, skipped: 0 });
    expect(await ctx.news.getFeedState(busy)).toMatchObject({ consecutiveFailures: 1, lastError: 'HTTP 429 Too Many Requests', retryAfterUntil: new Date(start + 2 * MINUTE).toISOString() });
    expect((await ctx.news.getFeedState(down))?.retryAfterUntil).toBe(new Date(Math.floor((start + 180 * MINUTE) / 1000) * 1000).toISOString());
    const shown = (await status.execute({ name: 'status', options: {}, userId: '1', canManageGuild: false }, ctx)).embeds![0]!.description!;
    expect(shown).toContain('1 failure in a row (HTTP 429 Too Many Requests); retrying in 2 min (the site asked to wait)');

    const count = (path: string) => site.requests.filter((r) => r.url === path).length;
    now = start + 110_000;
    // The site asked for 2 minutes: none of its feeds is fetched; the other host's is.
    expect(await cycle()).toMatchObject({ skipped: 3 });
    expect([count('/busy'), count('/ok'), other.requests.length, third.requests.length]).toEqual([1, 1, 2, 1]);
    now = start + 2 * MINUTE;
    await cycle();
    expect([count('/busy'), count('/ok'), third.requests.length]).toEqual([2, 2, 1]);
    now = start + 180 * MINUTE;
    await cycle();
    expect(third.requests.length).toBe(2);
  });

  it('backs a failing feed off 1, 2, 4, 8, 16 min, fetching nothing early, up to 6 h; store errors do not', async () => {
    const down = await server('127.0.0.2', (_req, res) => res.writeHead(500).end());
    const { ctx, cycle } = await botWith([`${down.url}/feed`]);
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      await cycle();
      const next = Date.parse((await ctx.news.getFeedState(`${down.url}/feed`))!.nextAttemptAt!);
      gaps.push((next - now) / MINUTE);
      const fetched = down.requests.length;
      now = next - MINUTE;
      expect(await cycle()).toMatchObject({ skipped: 1 });
      expect(down.requests.length).toBe(fetched);
      now = next;
    }
    expect(gaps).toEqual([1, 2, 4, 8, 16]);
    expect(backoffMs(12)).toBe(6 * 60 * MINUTE);
    // The bot's own trouble (its store down) is no reason to poll a healthy feed later.
    expect(afterFailure({ consecutiveFailures: 9 }, new Error('SQLITE_BUSY: database is locked'), new Date(now))).toEqual({ consecutiveFailures: 10, lastAttempt: new Date(now).toISOString(), lastError: 'SQLITE_BUSY: database is locked' });
  });

  it('pauses a feed after N failures in a row, with the reason in its state, and probes it once a day', async () => {
    const down = await server('127.0.0.2', (_req, res) => res.writeHead(404).end());
    const feed = `${down.url}/gone.xml`;
    const { ctx, cycle } = await botWith([feed]);
    for (let i = 0; i < 3; i++) {
      expect((await ctx.news.getFeedState(feed))?.paused).toBeUndefined();
      await cycle({ politeness: { pauseAfter: 3 } });
      now = Date.parse((await ctx.news.getFeedState(feed))!.nextAttemptAt!);
    }
    const state = (await ctx.news.getFeedState(feed))!;
    expect(state).toMatchObject({ paused: true, consecutiveFailures: 3, pausedReason: '3 failures in a row, last: HTTP 404 Not Found' });
    expect(Date.parse(state.nextAttemptAt!) - Date.parse(state.pausedAt!)).toBe(24 * 60 * MINUTE);
    now -= 60 * MINUTE;
    expect(await cycle()).toMatchObject({ skipped: 1 });
    expect(down.requests).toHaveLength(3);
  });
});
