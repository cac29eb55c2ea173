/**
 * What keeps a cold cycle's memory bounded between fetching and parsing: fetched bytes move to
 * the parse worker without a copy, the pool counts what waits for it against a byte budget it
 * shares with the fetches, and fetches wait while that budget is full, instead of bodies piling
 * up in memory. The budget itself: byte-budget.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBotContext } from '../src/bot/create-context.ts';
import { runCycle } from '../src/bot/cycle.ts';
import { loadBotConfig } from '../src/config.ts';
import { analyzeDocument, analyzeInBatches } from '../src/engine/analyze.ts';
import { ByteBudget } from '../src/engine/byte-budget.ts';
import { freeBytes } from '../src/engine/charset.ts';
import { FetchLimiter } from '../src/engine/fetch-limiter.ts';
import { ParsePool } from '../src/engine/parse-pool.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { silentLogger } from '../src/log.ts';
import { rss } from './support/feeds.ts';
import { startHttpServer } from './support/http-server.ts';
import { tempSqliteStore } from './support/store.ts';

const topic = loadTopic();
const NOW = new Date('2024-06-01T12:00:00Z');
const ctx = { feed: 'f', now: NOW, topic };
const doc = (n: number) => rss(Array.from({ length: n }, (_, i) => ({ title: `Alita 2 news ${i}: Rodriguez on the sequel`, link: `https://news.example.com/${i}`, summary: 'Battle Angel sequel update. '.repeat(20) })));

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
function pool(options: Partial<ConstructorParameters<typeof ParsePool>[0]> = {}): ParsePool {
  const created = new ParsePool({ topic, size: 1, ...options });
  cleanups.push(() => created.close());
  return created;
}

/** Waits for a condition with a deadline far above any local answer. */
async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('bytes to the parse worker', () => {
  it('move without a copy (the caller’s buffer is detached) and give what analyzeDocument gives in-thread', async () => {
    const text = doc(200);
    const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
    expect(bytes.byteLength).toBeGreaterThan(8192);
    const judged = pool().analyze({ bytes, contentType: 'application/rss+xml; charset=utf-8' }, ctx);
    expect(bytes.byteLength).toBe(0);
    expect(await judged).toEqual(await analyzeDocument(text, ctx));
  });

  it('posted ahead of their turn, go as a copy and are freed here once they run (no other worker can need them then)', async () => {
    const parsing = pool();
    const first = doc(400);
    const second = doc(20);
    const ahead = new Uint8Array(Buffer.from(second, 'utf8'));
    const running = parsing.analyze({ bytes: new Uint8Array(Buffer.from(first, 'utf8')), contentType: null }, ctx);
    const behind = parsing.analyze({ bytes: ahead, contentType: null }, ctx);
    // Posted behind the running job as a copy: kept here in case the worker dies first.
    expect(ahead.byteLength).toBe(Buffer.byteLength(second));
    await running;
    expect(await behind).toEqual(await analyzeDocument(second, ctx));
    expect(ahead.byteLength).toBe(0);
  });

  it('freeBytes detaches only a buffer the document has to itself', () => {
    const own = new Uint8Array(Buffer.from(doc(1)));
    freeBytes({ bytes: own, contentType: null });
    expect(own.byteLength).toBe(0);
    const pooled = Buffer.from('<rss/>');
    const neighbour = Buffer.from('a neighbour in the same pool');
    expect(pooled.buffer).toBe(neighbour.buffer);
    freeBytes({ bytes: pooled, contentType: null });
    expect(pooled.toString()).toBe('<rss/>');
    expect(neighbour.toString()).toBe('a neighbour in the same pool');
  });

  it('are let go by the analysis once decoded, before any item is judged (the worker then frees its copy)', async () => {
    const events: string[] = [];
    const bytes = new Uint8Array(Buffer.from(doc(250)));
    await analyzeInBatches({ bytes, contentType: null }, { ...ctx, decoded: () => events.push(`decoded ${bytes.byteLength > 0}`) }, (batch) => events.push(`batch ${batch.length}`));
    expect(events).toEqual(['decoded true', 'batch 100', 'batch 100', 'batch 50']);
  });

  it('are copied when they share their buffer (Node’s Buffer pool), so nothing else loses its bytes', async () => {
    const small = Buffer.from(doc(1));
    const neighbour = Buffer.from('a neighbour in the same pool');
    expect(small.buffer).toBe(neighbour.buffer);
    const judged = await pool().analyze({ bytes: small, contentType: null }, ctx);
    expect(judged).toHaveLength(1);
    expect(small.toString()).toBe(doc(1));
    expect(neighbour.toString()).toBe('a neighbour in the same pool');
  });
});

describe('the backlog', () => {
  it('room() waits while documents over the cap wait for a worker, and opens as they are parsed', async () => {
    const parser = pool({ maxBacklog: 1000 });
    await expect(parser.room()).resolves.toBeUndefined();
    const text = doc(20);
    const parsing = parser.analyze(text, ctx);
    expect(parser.backlog).toBe(text.length);
    let opened = false;
    // What was still counted when room() let the caller in: it must be under the cap.
    const room = parser.room().then(() => {
      opened = true;
      return parser.backlog;
    });
    // Only a worker's reply (a later event) can release the document: no amount of promise
    // settling opens room() before it.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(opened).toBe(false);
    await parsing;
    expect(await room).toBe(0);
    expect(parser.backlog).toBe(0);
  });

  it('room() lets everyone in when the pool closes, so no fetch waits forever', async () => {
    const parser = pool({ maxBacklog: 1 });
    const parsing = parser.analyze(doc(5), ctx).catch(() => undefined);
    const room = parser.room();
    await parser.close();
    await expect(room).resolves.toBeUndefined();
    await parsing;
  });

  it('a full budget keeps the limiter’s fetches from connecting, with their slots held', async () => {
    let requests = 0;
    const server = await startHttpServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(doc(1));
    });
    cleanups.push(() => server.close());
    const budget = new ByteBudget(100);
    const held = budget.take(100);
    const limiter = new FetchLimiter({ concurrency: 1, budget });
    const first = limiter.fetch(`${server.url}/a.xml`);
    const second = limiter.fetch(`${server.url}/b.xml`);
    await until(() => limiter.stats().active === 1 && limiter.stats().queued === 1);
    // Held by the budget, not by a slow machine: nothing connects until it is given back.
    expect(requests).toBe(0);
    held.release();
    expect((await first).kind).toBe('fetched');
    expect((await second).kind).toBe('fetched');
    expect(requests).toBe(2);
    // Each body was counted while it was read, and given back when its fetch returned it.
    expect(budget.inUse).toBe(0);
  });

  it('a cycle with a one-document backlog still polls every feed and announces every item once', async () => {
    const feeds = 6;
    const server = await startHttpServer((req, res) => {
      const n = Number(/feed-(\d+)/.exec(req.url ?? '')?.[1]);
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ title: `Alita 2: Rodriguez confirms sequel news number ${n}`, link: `https://news.example.com/story-${n}`, date: new Date(NOW.getTime() - n * 60_000).toUTCString() }]));
    });
    cleanups.push(() => server.close());
    const temp = await tempSqliteStore();
    cleanups.push(temp.cleanup);
    const urls = Array.from({ length: feeds }, (_, n) => `${server.url}/feed-${n}.xml`);
    // One post per item (no digest): every item is checked by its own title.
    const bot = createBotContext({ config: loadBotConfig({ FEEDS: urls.join(','), DATABASE_URL: temp.url, BACKFILL: '1', ALLOW_PRIVATE_FEEDS: 'true', MAX_ANNOUNCEMENTS_PER_POLL: String(feeds) }), stores: temp.stores, logger: silentLogger, clock: () => NOW });
    const parser = pool({ maxBacklog: 1 });
    const limiter = new FetchLimiter({ budget: parser.budget });
    const sent: string[] = [];
    const result = await runCycle({ ctx: bot, port: { send: async (_channel, body) => void sent.push(body.embeds?.[0]?.title ?? '') }, limiter, analyze: parser.analyze, defaultChannel: 'news' });
    expect(result).toMatchObject({ feeds, failed: 0, announced: feeds });
    expect(sent).toHaveLength(feeds);
    expect(new Set(sent).size).toBe(feeds);
    expect(parser.backlog).toBe(0);
  });
});
